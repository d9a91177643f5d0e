/**
 * The local clones domain: what the helper knows it cloned; switching one or all of them to the
 * closest mirror; keeping one warm; opening one in the user's programs.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { askedSwitchMaxAgeMs, type CloneOpenTarget, type HelperClient, type KnownClone, type SwitchResult } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type SwitchState =
  | { state: 'queued' }
  | { state: 'pending' }
  /** `automatic`: the helper switched a warm clone by itself after a move to another network. */
  | { state: 'done'; result: SwitchResult; automatic?: boolean }
  | { state: 'error'; error: ErrorInfo }
  | { state: 'cancelled' };

export interface SwitchAllSummary {
  switched: number;
  alreadyClosest: number;
  failed: number;
  cancelled: number;
}

export interface SwitchAllRun {
  running: boolean;
  total: number;
  /** Counted as each clone finishes, so the line reads right while it runs too. */
  summary: SwitchAllSummary;
}

export type WarmState = { pending: boolean; error?: ErrorInfo };
export type OpenState = { target: CloneOpenTarget } & ({ state: 'pending' } | { state: 'done'; program: string } | { state: 'error'; error: ErrorInfo });

export interface ClonesSlice {
  list?: KnownClone[];
  loadError?: ErrorInfo;
  switches: Record<string, SwitchState>;
  switchAll?: SwitchAllRun;
  warm: Record<string, WarmState>;
  opens: Record<string, OpenState>;
  /** A clone "Show in Local clones" asked for: its card scrolls into view and takes focus once. */
  highlighted?: string;
  highlight(path: string | undefined): void;
  refresh(): Promise<void>;
  switchToClosest(path: string): Promise<void>;
  switchAllToClosest(): Promise<void>;
  cancelSwitchAll(): void;
  setWarm(path: string, warm: boolean): Promise<void>;
  open(path: string, target: CloneOpenTarget): Promise<void>;
}

export function summarize(switches: SwitchState[]): SwitchAllSummary {
  const summary = { switched: 0, alreadyClosest: 0, failed: 0, cancelled: 0 };
  for (const entry of switches) {
    if (entry.state === 'done') summary[entry.result.changed ? 'switched' : 'alreadyClosest'] += 1;
    else if (entry.state === 'error') summary.failed += 1;
    else if (entry.state === 'cancelled') summary.cancelled += 1;
  }
  return summary;
}

/** A stable order: the helper's list moves a clone to the end each time it is updated, and cards must not jump. */
function byRepository(list: KnownClone[]): KnownClone[] {
  const key = (clone: KnownClone) => `${clone.projectKey}/${clone.slug}`.toLowerCase();
  return [...list].sort((a, b) => key(a).localeCompare(key(b)) || a.path.localeCompare(b.path));
}

export function createClonesSlice(client: HelperClient | undefined): StoreApi<ClonesSlice> {
  let switchAllController: AbortController | undefined;

  const store = createStore<ClonesSlice>()((set, get) => {
    const setSwitch = (path: string, state: SwitchState) => set((current) => ({ switches: { ...current.switches, [path]: state } }));

    /**
     * One clone: measure again from its primary (a measurement up to `maxAgeMs` old is reused),
     * move it if another server is closer now.
     */
    const runSwitch = async (path: string, signal?: AbortSignal, maxAgeMs = askedSwitchMaxAgeMs): Promise<void> => {
      if (!client) return;
      setSwitch(path, { state: 'pending' });
      try {
        const result = await client.call('clones.switch', { path, source: 'auto', maxAgeMs }, { signal });
        setSwitch(path, { state: 'done', result });
        await get().refresh();
      } catch (error) {
        const info = toErrorInfo(error);
        setSwitch(path, signal?.aborted || info.code === 'CANCELLED' ? { state: 'cancelled' } : { state: 'error', error: info });
      }
    };

    return {
      switches: {},
      warm: {},
      opens: {},
      highlight: (path) => set({ highlighted: path }),
      async refresh() {
        if (!client) return;
        try {
          set({ list: byRepository(await client.call('clones.list', {})), loadError: undefined });
        } catch (error) {
          set({ loadError: toErrorInfo(error) });
        }
      },
      async switchToClosest(path) {
        await runSwitch(path);
      },
      async switchAllToClosest() {
        const paths = (get().list ?? []).map((clone) => clone.path);
        if (!client || get().switchAll?.running || paths.length === 0) return;
        const controller = new AbortController();
        switchAllController = controller;
        set((current) => ({
          switches: { ...current.switches, ...Object.fromEntries(paths.map((path) => [path, { state: 'queued' } as const])) },
          switchAll: { running: true, total: paths.length, summary: summarize([]) },
        }));
        const progress = () => summarize(paths.map((path) => get().switches[path] ?? { state: 'queued' }));
        // One at a time: measurements taken at once would slow each other and skew the choice.
        // Each primary's servers are measured once for the run: later clones reuse that measurement.
        const runStarted = Date.now();
        for (const path of paths) {
          if (controller.signal.aborted) {
            setSwitch(path, { state: 'cancelled' });
            continue;
          }
          await runSwitch(path, controller.signal, Math.max(askedSwitchMaxAgeMs, Date.now() - runStarted));
          set((current) => ({ switchAll: current.switchAll && { ...current.switchAll, summary: progress() } }));
        }
        if (switchAllController === controller) switchAllController = undefined;
        set((current) => ({ switchAll: current.switchAll && { ...current.switchAll, running: false, summary: progress() } }));
      },
      cancelSwitchAll() {
        switchAllController?.abort();
      },
      async setWarm(path, warm) {
        if (!client) return;
        set((current) => ({ warm: { ...current.warm, [path]: { pending: true } } }));
        try {
          const updated = await client.call('clones.setWarm', { path, warm });
          set((current) => ({
            list: current.list?.map((clone) => (clone.path === path ? updated : clone)),
            warm: { ...current.warm, [path]: { pending: false } },
          }));
        } catch (error) {
          set((current) => ({ warm: { ...current.warm, [path]: { pending: false, error: toErrorInfo(error) } } }));
        }
      },
      async open(path, target) {
        if (!client) return;
        set((current) => ({ opens: { ...current.opens, [path]: { target, state: 'pending' } } }));
        try {
          const { program } = await client.call('clones.open', { path, target });
          set((current) => ({ opens: { ...current.opens, [path]: { target, state: 'done', program } } }));
        } catch (error) {
          set((current) => ({ opens: { ...current.opens, [path]: { target, state: 'error', error: toErrorInfo(error) } } }));
        }
      },
    };
  });
  if (client) {
    onEveryConnect(client, () => void store.getState().refresh());
    client.on('clones.switched', ({ result }) => {
      store.setState((current) => ({ switches: { ...current.switches, [result.path]: { state: 'done', result, automatic: true } } }));
      void store.getState().refresh();
    });
  }
  return store;
}
