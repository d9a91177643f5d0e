/**
 * Servers that talk without end: an endless ref advertisement, one that trickles, REST pages that
 * never end, and a REST answer that never ends. Each is stopped within its limit with a message
 * naming the server, and an endless advertisement does not fill the lister's memory.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { startHostileServer, type HostileServer } from '../fixtures/net/hostile-server';
import { listRemoteRefs, RemoteRefsError } from '../../electron/helper/git/remote-refs';
import { defaultListingLimits } from '../../electron/helper/git/listing-limits';
import { createBitbucketClient } from '../../electron/helper/bitbucket/rest-client';
import { ContractError } from '../../shared/contract';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let server: HostileServer | undefined;

afterEach(async () => {
  await server?.stop();
  server = undefined;
});

/** Runs one listing in a process of its own; its peak memory is what the listing cost. */
function listInChild(url: string, timeoutMs: number): Promise<{ ok: boolean; kind?: string; message?: string; baselineRssBytes: number; peakRssBytes: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/fixtures/net/list-refs-child.ts'), url, String(timeoutMs)], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
      } catch {
        reject(new Error(`the listing process ended with ${code}: ${stderr}`));
      }
    });
  });
}

const failure = <T>(promise: Promise<T>) => promise.then(() => undefined, (error: unknown) => error as Error);

describe('ref listings', () => {
  it('stops an endless ref advertisement at its ref limit, naming the server, with the memory it used under 200 MB', async () => {
    server = await startHostileServer('endless-refs');
    // A deadline far beyond what the limit needs: the limit, not the clock, must end it.
    const result = await listInChild(`${server.baseUrl}/scm/proj/repo.git`, 600_000);
    expect(result.ok).toBe(false);
    expect(result.kind).toBe('too-large');
    expect(result.message).toContain(server.host);
    expect(result.message).toMatch(/sent more than (100000 refs|16 MiB).*administrators/);
    expect(result.peakRssBytes).toBeLessThan(200 * 1024 ** 2);
    // It really was stopped: the server got to send about the limit, not without end.
    expect(server.sentBytes).toBeLessThan(4 * defaultListingLimits.maxBytes);
  }, 120_000);

  it('stops at the byte limit when the lines are few but long', async () => {
    server = await startHostileServer('endless-refs');
    const error = await failure(listRemoteRefs({ url: `${server.baseUrl}/scm/proj/repo.git`, timeoutMs: 600_000, limits: { maxBytes: 1024 ** 2 } }));
    expect(error).toBeInstanceOf(RemoteRefsError);
    expect((error as RemoteRefsError).kind).toBe('too-large');
    expect(error!.message).toContain(`${server.host} sent more than 1 MiB`);
  }, 60_000);

  it('ends a listing that trickles without end at its deadline, naming the server', async () => {
    server = await startHostileServer('trickle-refs', { trickleMs: 20 });
    const error = await failure(listRemoteRefs({ url: `${server.baseUrl}/scm/proj/repo.git`, timeoutMs: 1_000 }));
    expect(error).toMatchObject({ kind: 'timeout' });
    expect(error!.message).toContain(`${server.host} did not list its refs within 1 s`);
  }, 60_000);
});

describe('REST answers', () => {
  const values = z.object({ text: z.string() });

  it('stops pages whose nextPageStart does not advance', async () => {
    server = await startHostileServer('stuck-pages');
    const client = createBitbucketClient({ baseUrl: server.baseUrl });
    const error = await failure(client.getAllPages('/rest/ssh/1.0/keys', values));
    expect(error).toBeInstanceOf(ContractError);
    expect(error!.message).toContain(`${server.host} sent a paging cursor that does not advance`);
    expect((error as ContractError).hint).toContain('administrators');
    expect(server.requests.length).toBe(1);
  });

  it('stops empty pages that never end at the page limit', async () => {
    server = await startHostileServer('empty-pages');
    const client = createBitbucketClient({ baseUrl: server.baseUrl });
    const error = await failure(client.getAllPages('/rest/ssh/1.0/keys', values, { maxPages: 50 }));
    expect(error).toBeInstanceOf(ContractError);
    expect(error!.message).toContain(`${server.host} kept sending pages (50 pages, 0 items) without a last one`);
    expect(server.requests.length).toBe(50);
  });

  it('stops a JSON answer that never ends at the body limit, naming the server', async () => {
    server = await startHostileServer('endless-json');
    const client = createBitbucketClient({ baseUrl: server.baseUrl, timeoutMs: 600_000 });
    const error = await failure(client.getJson('/rest/api/1.0/projects', z.unknown()));
    expect(error).toBeInstanceOf(ContractError);
    expect(error!.message).toBe(`The answer from ${server.host} is larger than 16 MiB; it was stopped.`);
    expect((error as ContractError).hint).toContain(`administrators of ${server.host}`);
    expect(server.sentBytes).toBeLessThan(64 * 1024 ** 2);
  });
});
