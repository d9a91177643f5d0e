/**
 * The browse domain: one primary's repositories a page at a time (`repositories.list`), narrowed
 * by a search text and a project, and its projects for the project filter (`projects.list`).
 *
 * Typing is debounced; each new listing cancels the request in flight (the helper stops its
 * Bitbucket call) and gets a new `listKey`. Answers carry the key they were asked for and are
 * dropped when it is no longer current, so a late answer to an older search never shows.
 *
 * Enter acts only on rows that answer what the search box holds (`showsCurrentSearch`). Pressed
 * while that answer is still on its way (typing faster than the primary answers), it is kept as
 * `pickWhenShown` and opens the first row of that answer, the row highlighted when it shows;
 * typing again or changing the project forgets it. The rows of an earlier search are never picked.
 *
 * Rows can also be checked, to clone several in one step: the checked repositories are kept by
 * KEY/slug across searches and pages (search for one, check it, search for the next), and
 * forgotten when another primary is browsed.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BrowsedProject, BrowsedRepository, HelperClient } from '../../../shared/contract';
import { toErrorInfo, type ErrorInfo } from './errors';

export const searchDebounceMs = 200;
export const repositoryPageSize = 25;
/** Projects for the filter: pages of 200 until this many (a longer list would need a search of its own). */
const projectLimit = 1000;

export interface BrowseSearch {
  query: string;
  projectKey?: string;
}

export interface BrowseSlice {
  primary?: string;
  /** What the search box holds now (it may not have been searched for yet). */
  query: string;
  projectKey?: string;
  /** Bumped for every new listing: what the list shows, or is loading, belongs to this key. */
  listKey: number;
  /** The search the rows match. */
  shown?: BrowseSearch;
  items: BrowsedRepository[];
  nextStart: number | null;
  /** 'loading': the first page of the current search is on its way (earlier rows may still show). */
  status: 'idle' | 'loading' | 'ready' | 'error';
  error?: ErrorInfo;
  loadingMore: boolean;
  moreError?: ErrorInfo;
  projects: { status: 'idle' | 'loading' | 'ready' | 'error'; values: BrowsedProject[]; truncated: boolean };
  /**
   * How many repositories the primary has in all, once the unfiltered listing fit in one page:
   * the list box need not be taller than that (a search can only show fewer).
   */
  wholeListing?: number;
  replacingToken: boolean;
  replaceTokenError?: ErrorInfo;
  /** Enter was pressed before the answer to this search arrived: its first row opens when it does. */
  pickWhenShown?: BrowseSearch;
  /** Checked repositories by KEY/slug, in the order they were checked. */
  checked: Record<string, BrowsedRepository>;
  /** Checks the row if unchecked, unchecks it if checked. */
  toggleChecked(index: number): void;
  /** Checks these rows (Shift+arrows and Shift+click extend a selection; they never uncheck). */
  check(indexes: number[]): void;
  clearChecked(): void;
  /** Shows this primary's repositories (again only if it changed, or `reload`). */
  open(primary: string, options?: { reload?: boolean }): void;
  setQuery(query: string, options?: { immediate?: boolean }): void;
  setProject(projectKey: string | undefined): void;
  loadMore(): void;
  retry(): void;
  /** After a 401: stores a new token for the primary (as connecting it again does), then lists again. */
  replaceToken(token: string): Promise<boolean>;
  /** Opens a row of the list on screen (discovery runs for it). */
  pick(index: number): void;
  /** Enter: the first row of the answer to what the box holds, now if it shows, or as soon as it arrives. */
  pickFirstOfCurrentSearch(): void;
}

export interface BrowseSliceOptions {
  debounceMs?: number;
  /** What opening a repository does: the app runs discovery for it on that primary. */
  onPick?(repository: BrowsedRepository, primary: string): void;
}

/** Whether the rows on screen answer exactly what the search box and project filter hold now. */
export function showsCurrentSearch(state: Pick<BrowseSlice, 'status' | 'shown' | 'query' | 'projectKey'>): boolean {
  return state.status === 'ready' && state.shown !== undefined && state.shown.query === state.query.trim() && state.shown.projectKey === state.projectKey;
}

/** How a repository is named in a selection and in a batch: KEY/slug. */
export const repositoryKey = (repository: Pick<BrowsedRepository, 'projectKey' | 'slug'>) => `${repository.projectKey}/${repository.slug}`;

const sameSearch = (a: BrowseSearch | undefined, b: BrowseSearch) => a !== undefined && a.query === b.query && a.projectKey === b.projectKey;

export function createBrowseSlice(client: HelperClient | undefined, options: BrowseSliceOptions = {}): StoreApi<BrowseSlice> {
  const debounceMs = options.debounceMs ?? searchDebounceMs;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;
  let listRequest: AbortController | undefined;
  let moreRequest: AbortController | undefined;
  let projectsRequest: AbortController | undefined;

  const store = createStore<BrowseSlice>()((set, get) => {
    const cancelPending = () => {
      clearTimeout(debounceTimer);
      debounceTimer = undefined;
      listRequest?.abort();
      moreRequest?.abort();
    };

    const list = async () => {
      cancelPending();
      const { primary, query, projectKey } = get();
      if (!client || !primary) return;
      const listKey = get().listKey + 1;
      const search: BrowseSearch = { query: query.trim(), projectKey };
      const controller = (listRequest = new AbortController());
      set({ listKey, status: 'loading', error: undefined, loadingMore: false, moreError: undefined });
      try {
        const page = await client.call(
          'repositories.list',
          { primary, query: search.query || undefined, projectKey: search.projectKey, limit: repositoryPageSize },
          { signal: controller.signal },
        );
        if (get().listKey !== listKey) return;
        const whole = !search.query && !search.projectKey && page.nextStart === null;
        const pickNow = sameSearch(get().pickWhenShown, search);
        set({ status: 'ready', items: page.values, nextStart: page.nextStart, shown: search, pickWhenShown: undefined, ...(whole ? { wholeListing: page.values.length } : {}) });
        // The first row is the one highlighted as the answer shows: that is what Enter meant.
        if (pickNow) get().pick(0);
      } catch (error) {
        if (get().listKey !== listKey) return;
        // The rows of the previous search go: they would read as the answer to this one.
        set({ status: 'error', error: toErrorInfo(error), items: [], nextStart: null, shown: search, pickWhenShown: undefined });
      }
    };

    const loadProjects = async (primary: string) => {
      projectsRequest?.abort();
      if (!client) return;
      const controller = (projectsRequest = new AbortController());
      set({ projects: { status: 'loading', values: [], truncated: false } });
      const values: BrowsedProject[] = [];
      let start: number | null = 0;
      try {
        while (start !== null && values.length < projectLimit) {
          const page: { values: BrowsedProject[]; nextStart: number | null } = await client.call('projects.list', { primary, start, limit: 200 }, { signal: controller.signal });
          values.push(...page.values);
          start = page.nextStart;
        }
        if (projectsRequest === controller) set({ projects: { status: 'ready', values, truncated: start !== null } });
      } catch {
        // The list's own request reports what went wrong; the filter just stays unavailable.
        if (projectsRequest === controller) set({ projects: { status: 'error', values: [], truncated: false } });
      }
    };

    return {
      query: '',
      listKey: 0,
      items: [],
      nextStart: null,
      status: 'idle',
      loadingMore: false,
      projects: { status: 'idle', values: [], truncated: false },
      replacingToken: false,
      checked: {},

      open(primary, openOptions = {}) {
        if (primary === get().primary && !openOptions.reload) return;
        const samePrimary = primary === get().primary;
        // Projects and checked repositories belong to one primary: from another they mean nothing here.
        set({ primary, ...(samePrimary ? {} : { projectKey: undefined, items: [], nextStart: null, shown: undefined, wholeListing: undefined, checked: {} }) });
        void list();
        if (!samePrimary || get().projects.status !== 'ready') void loadProjects(primary);
      },

      setQuery(query, queryOptions = {}) {
        // A new word typed: an Enter pressed for the previous one no longer stands.
        set({ query, ...(query === get().query ? {} : { pickWhenShown: undefined }) });
        const { shown, projectKey, status } = get();
        clearTimeout(debounceTimer);
        // Already showing (or loading) exactly this search: nothing to ask.
        if (shown && shown.query === query.trim() && shown.projectKey === projectKey && status === 'ready') return;
        if (queryOptions.immediate) void list();
        else debounceTimer = setTimeout(() => void list(), debounceMs);
      },

      setProject(projectKey) {
        set({ projectKey, pickWhenShown: undefined });
        void list();
      },

      loadMore() {
        const { primary, nextStart, loadingMore, status, shown, listKey } = get();
        if (!client || !primary || nextStart === null || loadingMore || status !== 'ready' || !shown) return;
        const controller = (moreRequest = new AbortController());
        set({ loadingMore: true, moreError: undefined });
        client
          .call('repositories.list', { primary, query: shown.query || undefined, projectKey: shown.projectKey, start: nextStart, limit: repositoryPageSize }, { signal: controller.signal })
          .then((page) => {
            if (get().listKey !== listKey) return;
            // Bitbucket's pages can overlap when repositories are added while paging.
            const seen = new Set(get().items.map((item) => item.id));
            set({ items: [...get().items, ...page.values.filter((item) => !seen.has(item.id))], nextStart: page.nextStart, loadingMore: false });
          })
          .catch((error: unknown) => {
            if (get().listKey === listKey) set({ loadingMore: false, moreError: toErrorInfo(error) });
          });
      },

      retry() {
        const { moreError, status, primary } = get();
        if (moreError && status === 'ready') {
          get().loadMore();
          return;
        }
        void list();
        if (primary && get().projects.status === 'error') void loadProjects(primary);
      },

      pick(index) {
        const { items, primary } = get();
        const repository = items[index];
        if (repository && primary) options.onPick?.(repository, primary);
      },

      toggleChecked(index) {
        const repository = get().items[index];
        if (!repository) return;
        const key = repositoryKey(repository);
        const checked = { ...get().checked };
        if (checked[key]) delete checked[key];
        else checked[key] = repository;
        set({ checked });
      },

      check(indexes) {
        const added = indexes.flatMap((index) => (get().items[index] ? [get().items[index]!] : []));
        const checked = { ...get().checked };
        for (const repository of added) checked[repositoryKey(repository)] ??= repository;
        set({ checked });
      },

      clearChecked() {
        set({ checked: {} });
      },

      pickFirstOfCurrentSearch() {
        const state = get();
        if (showsCurrentSearch(state)) {
          get().pick(0);
          return;
        }
        const search = { query: state.query.trim(), projectKey: state.projectKey };
        // Nothing is on its way for an error already shown: Enter has nothing to wait for.
        if (!state.primary || (state.status === 'error' && sameSearch(state.shown, search) && debounceTimer === undefined)) return;
        set({ pickWhenShown: search });
        // Still waiting for the pause in typing: ask now, the user has finished.
        if (debounceTimer !== undefined) void list();
      },

      async replaceToken(token) {
        const { primary } = get();
        if (!client || !primary || !token) return false;
        set({ replacingToken: true, replaceTokenError: undefined });
        try {
          await client.call('primaries.add', { baseUrl: primary, credentials: { kind: 'token', token } });
          set({ replacingToken: false });
          get().retry();
          return true;
        } catch (error) {
          set({ replacingToken: false, replaceTokenError: toErrorInfo(error) });
          return false;
        }
      },
    };
  });

  // A restarted helper dropped whatever was in flight: list again what is on screen.
  client?.onConnectionChange((state) => {
    const { primary, status, error } = store.getState();
    if (state === 'connected' && primary && (status === 'loading' || (status === 'error' && error?.code === 'HELPER_UNAVAILABLE'))) {
      store.getState().retry();
    }
  });
  return store;
}
