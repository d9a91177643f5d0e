import { describe, expect, it } from 'vitest';
import type { HelperClient } from '../../shared/contract';
import { createRepositoryDetailsSlice, detailsKey } from '../../renderer/src/state/repository-details-slice';

interface Call {
  params: { projectKey: string; slug: string };
  signal: AbortSignal;
  resolve(value: unknown): void;
}

function scriptedClient() {
  const calls: Call[] = [];
  const client = {
    call: (_method: string, params: Call['params'], options: { signal: AbortSignal }) => new Promise((resolve) => calls.push({ params, signal: options.signal, resolve })),
  } as unknown as HelperClient;
  return { client, calls };
}

const primary = 'https://bb.example.com';
const refs = (...slugs: string[]) => slugs.map((slug) => ({ projectKey: 'PROJ', slug }));
const settle = () => new Promise((resolve) => setImmediate(resolve));
const details = { sizeBytes: 2048, lastChange: { at: '2026-01-02T03:04:05.000Z' } };

describe('repository details', () => {
  it('asks for the rows on screen a few at a time, the next as each answers', async () => {
    const { client, calls } = scriptedClient();
    const store = createRepositoryDetailsSlice(client, { concurrency: 2 });
    store.getState().show(primary, refs('a', 'b', 'c'));
    expect(calls.map((call) => call.params.slug)).toEqual(['a', 'b']);
    calls[0]!.resolve(details);
    await settle();
    expect(calls.map((call) => call.params.slug)).toEqual(['a', 'b', 'c']);
    expect(store.getState().entries[detailsKey(primary, { projectKey: 'PROJ', slug: 'a' })]).toEqual({ state: 'ready', details });
  });

  it('cancels what was asked for rows no longer on screen, and asks nothing again for rows it knows', async () => {
    const { client, calls } = scriptedClient();
    const store = createRepositoryDetailsSlice(client, { concurrency: 2 });
    store.getState().show(primary, refs('a', 'b'));
    calls[0]!.resolve(details);
    await settle();
    store.getState().show(primary, refs('a', 'x'));
    expect(calls[1]!.signal.aborted).toBe(true);
    expect(store.getState().entries[detailsKey(primary, { projectKey: 'PROJ', slug: 'b' })]).toBeUndefined();
    expect(calls.slice(2).map((call) => call.params.slug)).toEqual(['x']);
    // Back on screen: b is asked again (its answer never came); a is known.
    store.getState().show(primary, refs('a', 'b'));
    expect(calls.slice(3).map((call) => call.params.slug)).toEqual(['b']);
  });

  it('asks for the Clone panel\'s repository first, and marks a failure as not known', async () => {
    const calls: { slug: string; reject(error: unknown): void }[] = [];
    const client = { call: (_m: string, params: { slug: string }) => new Promise((_resolve, reject) => calls.push({ slug: params.slug, reject })) } as unknown as HelperClient;
    const store = createRepositoryDetailsSlice(client, { concurrency: 1 });
    store.getState().want(primary, { projectKey: 'PROJ', slug: 'chosen' });
    store.getState().show(primary, refs('a'));
    expect(calls.map((call) => call.slug)).toEqual(['chosen']);
    calls[0]!.reject(new Error('refused'));
    await settle();
    expect(store.getState().entries[detailsKey(primary, { projectKey: 'PROJ', slug: 'chosen' })]).toEqual({ state: 'unknown' });
    expect(calls.map((call) => call.slug)).toEqual(['chosen', 'a']);
  });
});
