/**
 * Size and last change per repository (`repositories.details`), for the rows of the browse list
 * that are on screen and for the repository in the Clone panel. Asked lazily, a few at a time;
 * when the rows on screen change, what was asked for rows no longer there is cancelled; answers
 * are kept per repository, so scrolling back or opening one asks nothing again.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, RepositoryDetails } from '../../../shared/contract';

/** Requests at once: enough to fill a screen quickly without queueing ahead of the list's own search. */
export const detailsConcurrency = 3;

export interface RepositoryRef {
  projectKey: string;
  slug: string;
}

export type DetailsEntry = { state: 'loading' } | { state: 'ready'; details: RepositoryDetails } | { state: 'unknown' };

export interface RepositoryDetailsSlice {
  entries: Record<string, DetailsEntry>;
  /** The repositories on screen now, in order: asked for unless known; requests for others are dropped. */
  show(primary: string, repositories: RepositoryRef[]): void;
  /** One more repository wanted besides those on screen (the Clone panel's). */
  want(primary: string, repository: RepositoryRef): void;
}

export const detailsKey = (primary: string, repository: RepositoryRef) => `${primary}|${repository.projectKey.toUpperCase()}|${repository.slug.toLowerCase()}`;

interface Wanted {
  key: string;
  primary: string;
  repository: RepositoryRef;
}

export function createRepositoryDetailsSlice(client: HelperClient | undefined, options: { concurrency?: number } = {}): StoreApi<RepositoryDetailsSlice> {
  const concurrency = options.concurrency ?? detailsConcurrency;
  const inFlight = new Map<string, AbortController>();
  let onScreen: Wanted[] = [];
  let extra: Wanted | undefined;

  const store = createStore<RepositoryDetailsSlice>()((set, get) => {
    const setEntry = (key: string, entry: DetailsEntry | undefined) =>
      set((state) => {
        const entries = { ...state.entries };
        if (entry) entries[key] = entry;
        else delete entries[key];
        return { entries };
      });

    const pump = () => {
      if (!client) return;
      // The Clone panel's repository first: it is the one the user chose.
      const queue = [...(extra ? [extra] : []), ...onScreen].filter((item) => !get().entries[item.key] && !inFlight.has(item.key));
      for (const item of queue) {
        if (inFlight.size >= concurrency) break;
        const controller = new AbortController();
        inFlight.set(item.key, controller);
        setEntry(item.key, { state: 'loading' });
        client
          .call('repositories.details', { primary: item.primary, projectKey: item.repository.projectKey, slug: item.repository.slug }, { signal: controller.signal })
          .then((details) => setEntry(item.key, { state: 'ready', details }))
          // Cancelled: asked again if it shows again. Any other failure: shown as not known.
          .catch(() => setEntry(item.key, controller.signal.aborted ? undefined : { state: 'unknown' }))
          .finally(() => {
            if (inFlight.get(item.key) === controller) inFlight.delete(item.key);
            pump();
          });
      }
    };

    const dropUnwanted = () => {
      const wanted = new Set([...onScreen.map((item) => item.key), ...(extra ? [extra.key] : [])]);
      for (const [key, controller] of inFlight) {
        if (wanted.has(key)) continue;
        controller.abort();
        inFlight.delete(key);
        setEntry(key, undefined);
      }
    };

    return {
      entries: {},
      show(primary, repositories) {
        onScreen = repositories.map((repository) => ({ key: detailsKey(primary, repository), primary, repository }));
        dropUnwanted();
        pump();
      },
      want(primary, repository) {
        extra = { key: detailsKey(primary, repository), primary, repository };
        pump();
      },
    };
  });
  return store;
}
