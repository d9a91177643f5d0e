import { describe, expect, it } from 'vitest';
import type { BrowsedRepository, HelperClient } from '../../shared/contract';
import { createBrowseSlice } from '../../renderer/src/state/browse-slice';

/** Answers every repositories.list with `pages[primary]`, and nothing else. */
function listingClient(pages: Record<string, BrowsedRepository[]>) {
  return {
    connectionState: 'connected',
    call: (method: string, params: { primary: string; query?: string }) =>
      method === 'repositories.list'
        ? Promise.resolve({ values: (pages[params.primary] ?? []).filter((item) => !params.query || item.slug.includes(params.query)), nextStart: null })
        : Promise.resolve({ values: [], nextStart: null }),
    on: () => () => undefined,
    onConnectionChange: () => () => undefined,
  } as unknown as HelperClient;
}

const repo = (projectKey: string, slug: string, id: number): BrowsedRepository => ({ id, projectKey, projectName: projectKey, slug, name: slug, archived: false });
const settle = () => new Promise((resolve) => setImmediate(resolve));
const primary = 'https://bb.example.com';
const other = 'https://other.example.com';

async function openedSlice() {
  const store = createBrowseSlice(listingClient({ [primary]: [repo('CORE', 'api', 1), repo('CORE', 'web', 2), repo('LIBS', 'api', 3)], [other]: [repo('X', 'y', 4)] }), { debounceMs: 0 });
  store.getState().open(primary);
  await settle();
  return store;
}

describe('checked repositories in the browser', () => {
  it('toggles a row by KEY/slug: the same slug in two projects are two repositories', async () => {
    const store = await openedSlice();
    store.getState().toggleChecked(0);
    store.getState().toggleChecked(2);
    expect(Object.keys(store.getState().checked)).toEqual(['CORE/api', 'LIBS/api']);
    store.getState().toggleChecked(0);
    expect(Object.keys(store.getState().checked)).toEqual(['LIBS/api']);
  });

  it('extends without unchecking, and ignores rows that are not there', async () => {
    const store = await openedSlice();
    store.getState().toggleChecked(1);
    store.getState().check([0, 1, 7]);
    expect(Object.keys(store.getState().checked).sort()).toEqual(['CORE/api', 'CORE/web']);
  });

  it('keeps the checks across searches, and forgets them for another primary', async () => {
    const store = await openedSlice();
    store.getState().toggleChecked(1);
    store.getState().setQuery('api', { immediate: true });
    await settle();
    expect(store.getState().items.map((item) => item.projectKey)).toEqual(['CORE', 'LIBS']);
    store.getState().toggleChecked(1);
    expect(Object.keys(store.getState().checked)).toEqual(['CORE/web', 'LIBS/api']);
    store.getState().open(other);
    expect(store.getState().checked).toEqual({});
  });
});
