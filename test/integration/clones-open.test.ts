/**
 * clones.open against a real helper process whose PATH starts with recording stand-ins for
 * xdg-open, a terminal and an editor: each is started detached in the clone, with the clone's
 * path as one argument (quotes and `$(...)` in it stay text), without the helper's token; any
 * path that is not a known clone is refused and starts nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, realpath, rename } from 'node:fs/promises';
import path from 'node:path';
import type { CloneJob, ContractClient } from '../../shared/contract';
import { startTopology, type Topology } from '../fixtures/bitbucket/topology';
import { startHelperProcess, type RunningHelper } from '../support/helper-process';
import { makeTempDir } from '../support/temp-dir';
import { connectClient } from '../support/websocket-client';
import { recordedRuns, waitForRuns, writeRecordingPrograms } from '../support/recording-programs';

let topology: Topology;
let helper: RunningHelper;
let client: ContractClient;
let closeSocket: () => void;
let workspace: Awaited<ReturnType<typeof makeTempDir>>;
let programs: string;
let clonePath: string;

async function cloneInto(folderName: string): Promise<string> {
  const finished = new Promise<CloneJob>((resolve) => {
    const off = client.on('clone.state', ({ job }) => {
      if (job.params?.folderName === folderName && job.finishedAt) {
        off();
        resolve(job);
      }
    });
  });
  await client.call('clone.start', { repository: 'PROJ/repo', primary: topology.primary.baseUrl, parentDirectory: path.join(workspace.path, 'clones'), folderName });
  const job = await finished;
  expect(job.state, JSON.stringify(job.error)).toBe('done');
  return job.result!.path;
}

beforeAll(async () => {
  [topology, workspace] = await Promise.all([
    startTopology({ primary: { delayMs: 5 }, mirrors: [{ name: 'near', delayMs: 1 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo', sizeBytes: 32 * 1024 }] }] }),
    makeTempDir('clones-open'),
  ]);
  programs = path.join(workspace.path, 'bin');
  await mkdir(programs);
  await mkdir(path.join(workspace.path, 'clones'));
  await writeRecordingPrograms(programs, ['xdg-open', 'x-terminal-emulator', 'code']);
  helper = await startHelperProcess({
    home: path.join(workspace.path, 'data'),
    // The token comes from the environment here, so the test needs no keychain, and can check it never reaches the programs.
    env: { PATH: `${programs}:${process.env.PATH}`, TERMINAL: undefined, MIRROR_CLONE_TOKEN: topology.credentials.token },
  });
  const connected = await connectClient(helper.address.url, helper.address.token);
  client = connected.client;
  closeSocket = () => connected.socket.close();
  clonePath = await cloneInto(`it's $(touch pwned) ;name`);
}, 120_000);

afterAll(async () => {
  closeSocket?.();
  await helper?.stop();
  await topology?.stop();
  await workspace?.cleanup();
});

describe('clones.open', () => {
  it('opens the folder with xdg-open, the clone as its one argument', async () => {
    expect(await client.call('clones.open', { path: clonePath, target: 'folder' })).toEqual({ program: 'xdg-open' });
    const [run] = await waitForRuns(programs, 'xdg-open', 1);
    expect(run).toEqual({ cwd: await realpath(clonePath), args: [clonePath], token: '' });
  });

  it('opens a terminal in the clone', async () => {
    expect(await client.call('clones.open', { path: clonePath, target: 'terminal' })).toEqual({ program: 'x-terminal-emulator' });
    const [run] = await waitForRuns(programs, 'x-terminal-emulator', 1);
    expect(run).toEqual({ cwd: await realpath(clonePath), args: [], token: '' });
  });

  it('opens the clone in the editor on PATH', async () => {
    expect(await client.call('clones.open', { path: clonePath, target: 'editor' })).toEqual({ program: 'code' });
    const [run] = await waitForRuns(programs, 'code', 1);
    expect(run).toEqual({ cwd: await realpath(clonePath), args: [clonePath], token: '' });
  });

  it('never ran anything the path spelled out', async () => {
    expect(await recordedRuns(programs, 'xdg-open')).toHaveLength(1);
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(clonePath, 'pwned'))).toBe(false);
    expect(existsSync(path.join(workspace.path, 'clones', 'pwned'))).toBe(false);
  });

  it('refuses a path it does not know (its parent, a relative path, a made-up one) and starts nothing', async () => {
    for (const unknown of [path.dirname(clonePath), path.relative(process.cwd(), clonePath), '/etc', `${clonePath}/..`]) {
      await expect(client.call('clones.open', { path: unknown, target: 'terminal' })).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('Local clones') });
    }
    await expect(client.call('clones.open', { path: clonePath, target: 'browser' as 'folder' })).rejects.toMatchObject({ code: 'INVALID_PARAMS' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await recordedRuns(programs, 'x-terminal-emulator')).toHaveLength(1);
  });

  it('says so when a known clone was moved away', async () => {
    const moved = await cloneInto('moved-away');
    await rename(moved, `${moved}-elsewhere`);
    await expect(client.call('clones.open', { path: moved, target: 'folder' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('no longer exists') });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await recordedRuns(programs, 'xdg-open')).toHaveLength(1);
  });
});
