/**
 * Where there is a keychain, the local mirrors' secret lives there (no file in the data folder),
 * stays the same for the installation across servers, and our credential helper reads it there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startTestKeyring, type TestKeyring } from '../fixtures/keyring';
import { startInProcessHelper, type InProcessHelper } from '../support/in-process-helper';
import { keychainHasEntry } from '../support/keychain-entry';
import { makeTempDir } from '../support/temp-dir';
import { git } from '../support/git';
import { serveCredentialConfig } from '../../electron/helper/cache/serve-access';
import { secretFile } from '../../electron/helper/cache/serve-secret';
import { createHelper } from '../../electron/helper/helper';
import { connectInProcess } from '../../electron/helper/transports/in-process';
import { silentLogger } from '../../electron/helper/logger';
import { createContractClient } from '../../shared/contract';

const run = promisify(execFile);
let topology: Topology;
let keyring: TestKeyring;
let helper: InProcessHelper;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  [topology, keyring, workspace] = await Promise.all([
    startTopology({ mirrors: [{ name: 'near' }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo', sizeBytes: 100_000, seed: 9 }] }] }),
    startTestKeyring(),
    makeTempDir('serve-keychain'),
  ]);
  // This test process (and the git and credential-helper processes it starts) use the test keychain.
  Object.assign(process.env, { DBUS_SESSION_BUS_ADDRESS: keyring.env.DBUS_SESSION_BUS_ADDRESS, XDG_RUNTIME_DIR: keyring.env.XDG_RUNTIME_DIR, XDG_DATA_HOME: keyring.env.XDG_DATA_HOME });
  helper = await startInProcessHelper({ environmentToken: topology.credentials.token });
  await helper.client.call('cache.add', { repository: 'PROJ/repo', primary: topology.primary.baseUrl });
});

afterAll(async () => {
  await helper?.stop();
  await topology?.stop();
  await keyring?.stop();
  await workspace?.cleanup();
});

async function cloneThrough(served: { port: number; mirrors: Array<{ url: string }>; credentialHelper: string }, folder: string): Promise<string> {
  const authenticated = serveCredentialConfig(served.port, served.credentialHelper).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const target = path.join(workspace.path, folder);
  await git(workspace.path, ...authenticated, 'clone', '-q', served.mirrors[0]!.url, target);
  return git(target, 'rev-parse', 'HEAD');
}

describe('the local mirrors secret with a keychain', () => {
  it('is kept in the keychain, not in a file, and git gets it through our helper', async () => {
    const served = await helper.client.call('cache.serve', {});
    expect(await keychainHasEntry(keyring.env, 'local-mirrors')).toBe(true);
    expect(existsSync(secretFile(helper.dataDir))).toBe(false);
    expect(await cloneThrough(served, 'first')).toBe(await git(topology.repo('PROJ', 'repo').diskPath, 'rev-parse', 'refs/heads/main'));
  });

  it('is the same for another server of the installation, so git config made once keeps working', async () => {
    // A second helper on the same data folder, as the CLI's next to the app's.
    const second = await createHelper({ dataDir: helper.dataDir, logger: silentLogger });
    const client = createContractClient();
    client.attach(connectInProcess(second.dispatcher));
    try {
      const served = await client.call('cache.serve', {});
      const firstPort = (await helper.client.call('cache.serve', {})).port;
      expect(served.port).not.toBe(firstPort);
      const answer = (port: number) => run('sh', ['-c', `printf 'protocol=http\\nhost=127.0.0.1:${port}\\n\\n' | ${served.credentialHelper.slice(1)} get`]).then(({ stdout }) => stdout);
      const [forFirst, forSecond] = await Promise.all([answer(firstPort), answer(served.port)]);
      expect(forSecond).toMatch(/^username=mirror-clone\npassword=[A-Za-z0-9_-]{43}\n$/);
      expect(forSecond).toBe(forFirst);
      await mkdir(path.join(workspace.path, 'second-parent'));
      expect(await cloneThrough(served, 'second-parent/second')).toMatch(/^[0-9a-f]{40}$/);
    } finally {
      client.close();
      await second.stop();
    }
  });
});
