/**
 * Config entries written in one go (git/config-entries.ts) read back through real `git config`
 * exactly as `git config --add` would have written them: values with every character git must
 * escape, subsections with dots, slashes and quotes, values added beside existing ones; and a
 * config held by another writer's lock is left alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { addConfigEntries } from '../../electron/helper/git/config-entries';
import { getConfigAll } from '../../electron/helper/git/config';
import { makeTempDir } from '../support/temp-dir';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let repository: string;
const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const gitConfig = (...args: string[]) => execFileSync('git', ['-C', repository, 'config', '--local', ...args], { env, encoding: 'utf8' });

beforeAll(async () => {
  temp = await makeTempDir('config-entries');
  repository = path.join(temp.path, 'repo');
  execFileSync('git', ['init', '-q', repository], { env });
  execFileSync('git', ['-C', repository, 'remote', 'add', 'origin', 'https://mirror.example.com/scm/p/r.git'], { env });
});
afterAll(() => temp.cleanup());

describe('addConfigEntries', () => {
  it('writes what git reads back value for value, escapes included, beside what was there', async () => {
    const awkward = ` -leading dash, "quotes", back\\slash, tab\there, # and ; and\na second line `;
    await addConfigEntries(repository, [
      ['remote.origin.pushurl', 'https://primary.example.com/scm/p/r.git'],
      ['mirrorclone.sourceName', awkward],
      ['credential.https://primary.example.com:7990.helper', ''],
      ['credential.https://primary.example.com:7990.helper', "!'/usr/bin/node' '/opt/mirror clone/cli.js' credential"],
      ['http.https://h.example.com/a"b\\c/.sslCAInfo', '/home/u/ca.pem'],
    ]);
    expect(gitConfig('--get', 'remote.origin.url').trim()).toBe('https://mirror.example.com/scm/p/r.git');
    expect(gitConfig('--get', 'remote.origin.pushurl').trim()).toBe('https://primary.example.com/scm/p/r.git');
    expect(await getConfigAll(repository, 'mirrorclone.sourceName', { local: true })).toEqual([awkward]);
    expect(await getConfigAll(repository, 'credential.https://primary.example.com:7990.helper', { local: true })).toEqual(['', "!'/usr/bin/node' '/opt/mirror clone/cli.js' credential"]);
    expect(await getConfigAll(repository, 'http.https://h.example.com/a"b\\c/.sslCAInfo', { local: true })).toEqual(['/home/u/ca.pem']);

    // A later git write to the same file still works, and keeps what was added.
    gitConfig('--add', 'mirrorclone.sourceName', 'second');
    expect(await getConfigAll(repository, 'mirrorclone.sourceName', { local: true })).toEqual([awkward, 'second']);
  });

  it('refuses keys git would refuse and values with NUL, writing nothing', async () => {
    const before = await readFile(path.join(repository, '.git', 'config'), 'utf8');
    await expect(addConfigEntries(repository, [['mirrorclone.ok', 'x'], ['not a key', 'x']])).rejects.toThrow(/not a git config key/);
    await expect(addConfigEntries(repository, [['mirrorclone.nul', 'a\0b']])).rejects.toThrow(/NUL/);
    expect(await readFile(path.join(repository, '.git', 'config'), 'utf8')).toBe(before);
  });

  it("leaves the config alone while another writer holds git's lock on it", async () => {
    const lock = path.join(repository, '.git', 'config.lock');
    await writeFile(lock, '');
    try {
      await expect(addConfigEntries(repository, [['mirrorclone.late', 'x']])).rejects.toThrow(/another git process/);
      expect(await getConfigAll(repository, 'mirrorclone.late', { local: true })).toEqual([]);
    } finally {
      await rm(lock);
    }
  });
});
