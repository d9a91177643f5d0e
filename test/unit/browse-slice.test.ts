import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ContractError, type BrowsedRepository, type HelperClient } from '../../shared/contract';
import { createBrowseSlice } from '../../renderer/src/state/browse-slice';

interface Call {
  method: string;
  params: Record<string, unknown>;
  signal?: { aborted: boolean };
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** A helper client whose answers the test gives, one call at a time, in any order. */
function scriptedClient() {
  const calls: Call[] = [];
  const client = {
    connectionState: 'connected',
    call: (method: string, params: Record<string, unknown>, options: { signal?: { aborted: boolean } } = {}) =>
      new Promise((resolve, reject) => calls.push({ method, params, signal: options.signal, resolve, reject })),
    on: () => () => undefined,
    onConnectionChange: () => () => undefined,
  } as unknown as HelperClient;
  const listCalls = () => calls.filter((call) => call.method === 'repositories.list');
  return { client, calls, listCalls };
}

const repo = (slug: string, id = slug.length * 1000 + slug.charCodeAt(0)): BrowsedRepository => ({ id, projectKey: 'PROJ', projectName: 'Project', slug, name: slug, archived: false });
const page = (slugs: string[], nextStart: number | null = null) => ({ values: slugs.map((slug, index) => repo(slug, index + 1 + (nextStart ?? 0) * 100)), nextStart });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('browse slice', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('asks once for what was typed when typing pauses, not for every key', async () => {
    const { client, listCalls } = scriptedClient();
    const store = createBrowseSlice(client, { debounceMs: 200 });
    store.getState().open('https://bb.example.com');
    listCalls()[0]!.resolve(page(['a', 'b']));
    await settle();
    for (const text of ['s', 'se', 'ser']) {
      store.getState().setQuery(text);
      vi.advanceTimersByTime(120);
    }
    expect(listCalls()).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(listCalls()).toHaveLength(2);
    expect(listCalls()[1]!.params).toMatchObject({ primary: 'https://bb.example.com', query: 'ser', limit: 25 });
    expect(listCalls()[1]!.params.start).toBeUndefined();
  });

  it('cancels the search in flight and never shows its late answer', async () => {
    const { client, listCalls } = scriptedClient();
    const store = createBrowseSlice(client);
    store.getState().open('https://bb.example.com');
    store.getState().setQuery('se', { immediate: true });
    store.getState().setQuery('serv', { immediate: true });
    const [first, second, third] = listCalls();
    expect(first!.signal!.aborted).toBe(true);
    expect(second!.signal!.aborted).toBe(true);
    expect(third!.signal!.aborted).toBe(false);
    third!.resolve(page(['service-01']));
    await settle();
    // The older answers arrive after the newer one: dropped, also a late error.
    second!.resolve(page(['search-ui', 'service-01']));
    first!.reject(new ContractError('NETWORK', 'late'));
    await settle();
    const state = store.getState();
    expect(state.status).toBe('ready');
    expect(state.shown).toEqual({ query: 'serv', projectKey: undefined });
    expect(state.items.map((item) => item.slug)).toEqual(['service-01']);
  });

  it('continues from nextStart, and drops a page that arrives after a new search', async () => {
    const { client, listCalls } = scriptedClient();
    const store = createBrowseSlice(client);
    store.getState().open('https://bb.example.com');
    listCalls()[0]!.resolve({ values: [repo('a', 1), repo('b', 2)], nextStart: 7 });
    await settle();
    store.getState().loadMore();
    store.getState().loadMore(); // one page at a time
    expect(listCalls()).toHaveLength(2);
    expect(listCalls()[1]!.params).toMatchObject({ start: 7 });
    // Overlap (a repository added meanwhile) shows once.
    listCalls()[1]!.resolve({ values: [repo('b', 2), repo('c', 3)], nextStart: 12 });
    await settle();
    expect(store.getState().items.map((item) => item.slug)).toEqual(['a', 'b', 'c']);

    store.getState().loadMore();
    const pendingMore = listCalls()[2]!;
    store.getState().setProject('TOOLS');
    expect(pendingMore.signal!.aborted).toBe(true);
    pendingMore.resolve({ values: [repo('z', 26)], nextStart: null });
    await settle();
    expect(store.getState().items.map((item) => item.slug)).toEqual(['a', 'b', 'c']);
    expect(store.getState().loadingMore).toBe(false);
    expect(listCalls()[3]!.params).toMatchObject({ projectKey: 'TOOLS' });
  });

  it('shows an error without the previous rows, and Retry asks again', async () => {
    const { client, listCalls } = scriptedClient();
    const store = createBrowseSlice(client);
    store.getState().open('https://bb.example.com');
    listCalls()[0]!.resolve(page(['a']));
    await settle();
    store.getState().setQuery('x', { immediate: true });
    listCalls()[1]!.reject(new ContractError('UNAUTHORIZED', 'bb.example.com refused the credentials.', { hint: 'Tokens expire.' }));
    await settle();
    expect(store.getState()).toMatchObject({ status: 'error', items: [], error: { code: 'UNAUTHORIZED', hint: 'Tokens expire.' } });
    store.getState().retry();
    expect(listCalls()[2]!.params).toMatchObject({ query: 'x' });
    listCalls()[2]!.resolve(page(['xa']));
    await settle();
    expect(store.getState()).toMatchObject({ status: 'ready', error: undefined });
  });

  it('starts over for another primary: its own projects, no project filter from the last one', async () => {
    const { client, calls, listCalls } = scriptedClient();
    const store = createBrowseSlice(client);
    store.getState().open('https://one.example.com');
    calls.find((call) => call.method === 'projects.list')!.resolve({ values: [{ key: 'ONE', name: 'One' }], nextStart: null });
    listCalls()[0]!.resolve(page(['a']));
    await settle();
    store.getState().setProject('ONE');
    store.getState().open('https://two.example.com');
    expect(store.getState().projectKey).toBeUndefined();
    expect(listCalls().at(-1)!.params).toMatchObject({ primary: 'https://two.example.com', projectKey: undefined });
    expect(calls.filter((call) => call.method === 'projects.list').map((call) => call.params.primary)).toEqual(['https://one.example.com', 'https://two.example.com']);
    // Opening the same primary again asks nothing.
    const before = calls.length;
    store.getState().open('https://two.example.com');
    expect(calls).toHaveLength(before);
  });

  describe('Enter', () => {
    const opened = () => {
      const picks: string[] = [];
      return { picks, onPick: (repository: BrowsedRepository, primary: string) => picks.push(`${primary} ${repository.slug}`) };
    };
    const primary = 'https://bb.example.com';

    it('pressed before the pause in typing ends asks at once and opens the first row of that answer, never a row of the earlier list', async () => {
      const { client, listCalls } = scriptedClient();
      const { picks, onPick } = opened();
      const store = createBrowseSlice(client, { debounceMs: 200, onPick });
      store.getState().open(primary);
      listCalls()[0]!.resolve(page(['dotfiles', 'design-system']));
      await settle();
      store.getState().setQuery('design');
      store.getState().pickFirstOfCurrentSearch();
      // No wait for the pause: the search goes out now, and nothing opened yet.
      expect(listCalls()).toHaveLength(2);
      expect(listCalls()[1]!.params).toMatchObject({ query: 'design' });
      expect(picks).toEqual([]);
      expect(store.getState().pickWhenShown).toEqual({ query: 'design', projectKey: undefined });
      listCalls()[1]!.resolve(page(['design-system', 'design-tokens']));
      await settle();
      expect(picks).toEqual([`${primary} design-system`]);
      expect(store.getState().pickWhenShown).toBeUndefined();
      vi.advanceTimersByTime(1000);
      expect(listCalls()).toHaveLength(2);
    });

    it('pressed while the answer is on its way waits for it; a late answer to an earlier search opens nothing', async () => {
      const { client, listCalls } = scriptedClient();
      const { picks, onPick } = opened();
      const store = createBrowseSlice(client, { onPick });
      store.getState().open(primary);
      store.getState().setQuery('des', { immediate: true });
      store.getState().setQuery('design', { immediate: true });
      store.getState().pickFirstOfCurrentSearch();
      const [first, second, third] = listCalls();
      second!.resolve(page(['desk', 'design-system']));
      first!.resolve(page(['dotfiles']));
      await settle();
      expect(picks).toEqual([]);
      third!.resolve(page(['design-system']));
      await settle();
      expect(picks).toEqual([`${primary} design-system`]);
    });

    it('is forgotten when the user types on or changes the project, and opens nothing when nothing matches', async () => {
      const { client, listCalls } = scriptedClient();
      const { picks, onPick } = opened();
      const store = createBrowseSlice(client, { onPick });
      store.getState().open(primary);
      listCalls()[0]!.resolve(page(['a']));
      await settle();
      store.getState().setQuery('des', { immediate: true });
      store.getState().pickFirstOfCurrentSearch();
      store.getState().setQuery('desi', { immediate: true });
      expect(store.getState().pickWhenShown).toBeUndefined();
      listCalls()[2]!.resolve(page(['design-system']));
      await settle();
      expect(picks).toEqual([]);

      store.getState().setQuery('zzz', { immediate: true });
      store.getState().pickFirstOfCurrentSearch();
      store.getState().setProject('PROJ');
      expect(store.getState().pickWhenShown).toBeUndefined();
      store.getState().setProject(undefined);
      store.getState().pickFirstOfCurrentSearch();
      listCalls().at(-1)!.resolve(page([]));
      await settle();
      expect(picks).toEqual([]);
      expect(store.getState().pickWhenShown).toBeUndefined();
    });

    it('on rows that answer the search opens the first at once; after an error nothing waits', async () => {
      const { client, listCalls } = scriptedClient();
      const { picks, onPick } = opened();
      const store = createBrowseSlice(client, { onPick });
      store.getState().open(primary);
      listCalls()[0]!.resolve(page(['alpha', 'beta']));
      await settle();
      store.getState().pickFirstOfCurrentSearch();
      expect(picks).toEqual([`${primary} alpha`]);
      store.getState().pick(1);
      expect(picks).toEqual([`${primary} alpha`, `${primary} beta`]);

      store.getState().setQuery('x', { immediate: true });
      listCalls().at(-1)!.reject(new ContractError('NETWORK', 'down'));
      await settle();
      store.getState().pickFirstOfCurrentSearch();
      expect(store.getState().pickWhenShown).toBeUndefined();
      expect(picks).toHaveLength(2);
    });
  });
});
