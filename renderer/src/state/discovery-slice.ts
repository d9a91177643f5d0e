/**
 * The discovery domain: one run at a time for the repository the user pasted. The servers are
 * announced by `discovery.candidates` before any is timed, latencies stream in through
 * `discovery.sample` (both matched by runId) while the run is pending; the result then gives
 * every candidate its status, median and the recommendation.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DiscoveryResult, HelperClient, PayloadOf } from '../../../shared/contract';
import { toErrorInfo, type ErrorInfo } from './errors';

export interface LiveLatency {
  connectMs?: number;
  warmupMs?: number;
  samples: number[];
}

/** A server as announced before it is measured: enough to name its row and say why it is not timed. */
export type AnnouncedCandidate = PayloadOf<'discovery.candidates'>['candidates'][number];

export interface DiscoverySlice {
  runId?: string;
  repository?: string;
  pending: boolean;
  /** Per candidate id, in the order samples first arrived. */
  live: Record<string, LiveLatency>;
  /** Per candidate id, from `discovery.candidates`. */
  announced: Record<string, AnnouncedCandidate>;
  /** Row order while measuring: the announced order (primary first), then any id a sample names first. */
  order: string[];
  result?: DiscoveryResult;
  error?: ErrorInfo;
  primary?: string;
  /** Where the run was asked for: the paste field shows an error about what was typed beside itself. */
  origin?: DiscoveryOrigin;
  /** `refresh` measures afresh instead of reusing a recent measurement (after moving networks or offices). */
  run(repository: string, primary?: string, options?: { refresh?: boolean; origin?: DiscoveryOrigin }): Promise<void>;
  clear(): void;
}

export type DiscoveryOrigin = 'field' | 'list';

/** Errors about the reference itself (mistyped, no such repository, a refused URL): trying again cannot help. */
export function isReferenceError(error: ErrorInfo | undefined): boolean {
  return error !== undefined && (error.code === 'INVALID_PARAMS' || error.code === 'NOT_FOUND' || error.code === 'UNSAFE_URL');
}

/** A run from the paste field that failed on what was typed: said under the field, not in the Clone panel. */
export function isFieldError(state: Pick<DiscoverySlice, 'origin' | 'error'>): boolean {
  return state.origin === 'field' && isReferenceError(state.error);
}

let runCounter = 0;

export function createDiscoverySlice(client: HelperClient | undefined): StoreApi<DiscoverySlice> {
  const store = createStore<DiscoverySlice>()((set, get) => ({
    pending: false,
    live: {},
    announced: {},
    order: [],
    async run(repository, primary, options = {}) {
      if (!client) return;
      const runId = `ui-${Date.now().toString(36)}-${++runCounter}`;
      set({ runId, repository, primary, origin: options.origin, pending: true, live: {}, announced: {}, order: [], result: undefined, error: undefined });
      try {
        const result = await client.call('discovery.run', { repository, primary, runId, refresh: options.refresh });
        if (get().runId === runId) set({ result, pending: false });
      } catch (error) {
        if (get().runId === runId) set({ error: toErrorInfo(error), pending: false });
      }
    },
    clear: () => set({ runId: undefined, repository: undefined, primary: undefined, origin: undefined, pending: false, live: {}, announced: {}, order: [], result: undefined, error: undefined }),
  }));
  client?.on('discovery.candidates', ({ runId, candidates }) => {
    const state = store.getState();
    if (runId !== state.runId) return;
    const primaryFirst = [...candidates].sort((a, b) => Number(b.kind === 'primary') - Number(a.kind === 'primary'));
    const ids = primaryFirst.map((candidate) => candidate.id);
    store.setState({
      announced: Object.fromEntries(candidates.map((candidate) => [candidate.id, candidate])),
      order: [...ids, ...state.order.filter((id) => !ids.includes(id))],
    });
  });
  client?.on('discovery.sample', ({ runId, candidateId, kind, ms }) => {
    const state = store.getState();
    if (runId !== state.runId) return;
    const previous = state.live[candidateId] ?? { samples: [] };
    const next: LiveLatency =
      kind === 'connect' ? { ...previous, connectMs: ms } : kind === 'warmup' ? { ...previous, warmupMs: ms } : { ...previous, samples: [...previous.samples, ms] };
    store.setState({
      live: { ...state.live, [candidateId]: next },
      order: state.order.includes(candidateId) ? state.order : [...state.order, candidateId],
    });
  });
  return store;
}
