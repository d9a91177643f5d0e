/**
 * Git LFS known before the clone: the primary's browse/raw resources show `.gitattributes` at the
 * default branch's tip; discovery reads it (one request, failure = unknown, never a failed
 * discovery); `mirror-clone discover` says that the repository uses LFS, where the large files
 * will be asked for, and with no git-lfs on the PATH warns on stderr and in --json.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { LFS_ATTRIBUTES } from '../fixtures/bitbucket/lfs-population';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { makeTempDir } from '../support/temp-dir';
import { runCliProcess } from '../support/cli';
import { pathWithout } from '../support/path-without';

let topology: Topology;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({
      primary: { delayMs: 5 },
      mirrors: [{ name: 'near', delayMs: 1 }],
      projects: [{ key: 'MEDIA', repos: [{ slug: 'assets', lfsBytes: 64 * 1024, lfsFiles: 2 }, { slug: 'plain' }] }],
    }),
    makeTempDir('lfs-outlook'),
  ]);
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

const basic = () => `Basic ${Buffer.from(`${topology.credentials.user}:${topology.credentials.password}`).toString('base64')}`;
const rest = (suffix: string) => fetch(`${topology.primary.baseUrl}/rest/api/1.0/projects/MEDIA/repos/${suffix}`, { headers: { Authorization: basic() } });
const discover = (slug: string) => helper.client.call('discovery.run', { repository: `${topology.primary.baseUrl}/projects/MEDIA/repos/${slug}/browse`, samples: 1, refresh: true });

describe('the emulator shows files at a revision', () => {
  it('browse: the lines of .gitattributes at the default branch, paged by line', async () => {
    const answer = await rest('assets/browse/.gitattributes');
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ lines: [{ text: LFS_ATTRIBUTES.trimEnd() }], start: 0, size: 1, isLastPage: true });
    const page = (await (await rest('assets/browse/media/asset-01.bin?limit=1')).json()) as { lines: { text: string }[]; isLastPage: boolean; nextPageStart?: number };
    expect(page.lines).toEqual([{ text: 'version https://git-lfs.github.com/spec/v1' }]);
    expect(page.isLastPage).toBe(false);
    expect(page.nextPageStart).toBe(1);
  });

  it('raw: the bytes; a missing path or revision: 404 with the exception Bitbucket names', async () => {
    const raw = await rest('assets/raw/.gitattributes?at=refs/heads/main');
    expect(raw.status).toBe(200);
    expect(await raw.text()).toBe(LFS_ATTRIBUTES);
    const missing = await rest('plain/browse/.gitattributes');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errors: { exceptionName: string }[] }).errors[0]!.exceptionName).toBe('com.atlassian.bitbucket.content.NoSuchPathException');
    const noCommit = await rest('assets/raw/.gitattributes?at=no-such-branch');
    expect(noCommit.status).toBe(404);
    expect(((await noCommit.json()) as { errors: { exceptionName: string }[] }).errors[0]!.exceptionName).toBe('com.atlassian.bitbucket.commit.NoSuchCommitException');
    expect((await rest('assets/raw/--output=x?at=-x')).status).toBe(400);
  });
});

describe('discovery knows whether a repository uses LFS', () => {
  it('from .gitattributes at the tip: the patterns, and that git-lfs is here', async () => {
    topology.state.requestLog.length = 0;
    const result = await discover('assets');
    expect(result.largeFiles).toEqual({ usesLfs: 'yes', patterns: ['media/**'], morePatterns: 0, gitLfsInstalled: true });
    // One request for it, with the primary's credential, at the primary only.
    const asked = topology.state.requestLog.filter((entry) => entry.path.includes('/.gitattributes'));
    expect(asked.map((entry) => entry.instance)).toEqual(['primary']);
    expect(asked[0]!.authorization).toMatch(/^Bearer /);
  });

  it('no .gitattributes: no LFS', async () => {
    expect((await discover('plain')).largeFiles).toMatchObject({ usesLfs: 'no', gitLfsInstalled: null });
  });

  it('a primary that answers with a sign-in page, or cuts the answer short: unknown, and the clone choice is made as ever', async () => {
    for (const kind of ['html-page', 'close-mid-body'] as const) {
      topology.setRestFault('primary', /\/browse\/\.gitattributes$/, { kind });
      try {
        const result = await discover('assets');
        expect(result.largeFiles.usesLfs).toBe('unknown');
        expect(result.candidates.find((candidate) => candidate.chosen)?.name).toBe('near');
      } finally {
        topology.clearRestFaults();
      }
    }
  });
});

/** A PATH with everything in /usr/bin except git-lfs (made once). */
let withoutGitLfs: Promise<string> | undefined;
const pathWithoutGitLfs = () => (withoutGitLfs ??= pathWithout('git-lfs', path.join(workspace.path, 'bin-without-git-lfs')));

describe('mirror-clone discover', () => {
  const env = () => ({ ...process.env, MIRROR_CLONE_HOME: path.join(workspace.path, 'data'), MIRROR_CLONE_TOKEN: topology.credentials.token, MIRROR_CLONE_PRIMARY: topology.primary.baseUrl });

  it('says the repository uses LFS and where the large files are asked for', async () => {
    const result = await runCliProcess(['discover', 'MEDIA/assets', '--samples', '1'], { env: env() });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Large files: Uses Git LFS (media/**): they are asked of near first');
    expect(result.stderr).not.toContain('git-lfs is not installed');
    const plain = await runCliProcess(['discover', 'MEDIA/plain', '--samples', '1'], { env: env() });
    expect(plain.stdout).not.toContain('Large files');
  });

  it('with no git-lfs on the PATH: a warning on stderr, and in --json, before any clone', async () => {
    const bin = await pathWithoutGitLfs();
    const human = await runCliProcess(['discover', 'MEDIA/assets', '--samples', '1'], { env: { ...env(), PATH: bin } });
    expect(human.code, human.stderr).toBe(0);
    expect(human.stderr).toMatch(/Warning: git-lfs is not installed on this computer: the clone will hold small pointer files .*Install Git LFS before cloning/);
    const json = await runCliProcess(['discover', 'MEDIA/assets', '--samples', '1', '--json'], { env: { ...env(), PATH: bin } });
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toContain('git-lfs is not installed');
    const output = JSON.parse(json.stdout) as { largeFiles: Record<string, unknown> };
    expect(output.largeFiles).toMatchObject({ usesLfs: 'yes', gitLfsInstalled: false, patterns: ['media/**'] });
    expect(output.largeFiles.warning).toMatch(/pointer files/);
  });

  it('mirror-clone clone with no git-lfs warns before the transfer, then clones the pointer files', async () => {
    const bin = await pathWithoutGitLfs();
    const destination = path.join(workspace.path, 'clone-without-git-lfs');
    const result = await runCliProcess(['clone', 'MEDIA/assets', destination], { env: { ...env(), PATH: bin } });
    expect(result.code, result.stderr).toBe(0);
    const before = result.stderr.indexOf('Warning: git-lfs is not installed on this computer: the clone will hold small pointer files');
    expect(before, result.stderr).toBeGreaterThanOrEqual(0);
    // Said once, before anything else about the clone's large files.
    expect(result.stderr.indexOf('Warning: git-lfs is not installed', before + 1)).toBe(-1);
    const [file] = (await readdir(path.join(destination, 'media'))).filter((name) => name.endsWith('.bin'));
    expect(await readFile(path.join(destination, 'media', file!), 'utf8')).toMatch(/^version https:\/\/git-lfs\.github\.com\/spec\/v1\n/);
    // A repository without LFS says nothing of it.
    const plain = await runCliProcess(['clone', 'MEDIA/plain', path.join(workspace.path, 'plain-without-git-lfs')], { env: { ...env(), PATH: bin } });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).not.toContain('git-lfs');
  });
});
