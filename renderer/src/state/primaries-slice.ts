/**
 * The primaries domain: which Bitbucket primaries are connected, the "Connect a primary" flow
 * (check the address and token, then add it; the token goes to the OS keychain), and managing a
 * connected one: remove it, its hand-added mirrors, its pinned mirror. Each change has its own
 * pending and error state per primary.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, KnownMirror, PrimaryConnection, PrimarySummary } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type CheckState =
  | { state: 'idle' }
  | { state: 'pending'; key: string }
  | { state: 'ok'; key: string; connection: PrimaryConnection }
  | { state: 'error'; key: string; error: ErrorInfo };

export type ChangeState = { state: 'pending' } | { state: 'done' } | { state: 'error'; error: ErrorInfo };
export type KnownMirrorsState = { state: 'pending' } | { state: 'done'; mirrors: KnownMirror[] } | { state: 'error'; error: ErrorInfo };
export type ManualMirror = PrimarySummary['manualMirrors'][number];

export interface PrimariesSlice {
  /** undefined until the helper first answered. */
  list?: PrimarySummary[];
  loadError?: ErrorInfo;
  check: CheckState;
  adding: boolean;
  addError?: ErrorInfo;
  refresh(): Promise<void>;
  checkPrimary(baseUrl: string, token: string): Promise<void>;
  add(baseUrl: string, token: string): Promise<boolean>;
  resetCheck(): void;
  /** Per primary base URL. */
  removals: Record<string, ChangeState>;
  mirrorChanges: Record<string, ChangeState>;
  pins: Record<string, ChangeState>;
  /** Per hand-added mirror's base URL: allowing or withdrawing the primary's token. */
  tokenConsents: Record<string, ChangeState>;
  knownMirrors: Record<string, KnownMirrorsState>;
  /** Forgets the primary and its keychain secret; true when done. */
  remove(baseUrl: string): Promise<boolean>;
  setManualMirrors(baseUrl: string, mirrors: ManualMirror[]): Promise<boolean>;
  pin(baseUrl: string, candidate: string | null): Promise<boolean>;
  /** Sends the primary's token to a hand-added mirror; `host` is the mirror host the user confirmed. */
  allowToken(baseUrl: string, mirrorBaseUrl: string, host: string): Promise<boolean>;
  withdrawToken(baseUrl: string, mirrorBaseUrl: string): Promise<boolean>;
  loadKnownMirrors(baseUrl: string): Promise<void>;
  /** Why the helper refused the last change of this kind to this primary; undefined unless refused. */
  refusal(kind: 'removals' | 'mirrorChanges' | 'pins', baseUrl: string): ErrorInfo | undefined;
  /** Forgets a change's outcome (the user is editing again). */
  clearChange(kind: 'removals' | 'mirrorChanges' | 'pins' | 'tokenConsents', baseUrl: string): void;
}

const checkKey = (baseUrl: string, token: string) => `${baseUrl.trim()}\u0000${token}`;

export function createPrimariesSlice(client: HelperClient | undefined): StoreApi<PrimariesSlice> {
  const store = createStore<PrimariesSlice>()((set, get) => {
    type ChangeKind = 'removals' | 'mirrorChanges' | 'pins' | 'tokenConsents';
    const setChange = (kind: ChangeKind, baseUrl: string, change: ChangeState | undefined) =>
      set((state) => ({ [kind]: { ...state[kind], [baseUrl]: change } }) as Partial<PrimariesSlice>);
    const replaceSummary = (summary: PrimarySummary) =>
      set((state) => ({ list: state.list?.map((primary) => (primary.baseUrl === summary.baseUrl ? summary : primary)) }));
    /** Runs one change for one primary, recording its state; true when the helper accepted it. */
    const change = async (kind: ChangeKind, baseUrl: string, call: () => Promise<void>): Promise<boolean> => {
      if (!client) return false;
      setChange(kind, baseUrl, { state: 'pending' });
      try {
        await call();
        setChange(kind, baseUrl, { state: 'done' });
        return true;
      } catch (error) {
        setChange(kind, baseUrl, { state: 'error', error: toErrorInfo(error) });
        return false;
      }
    };
    return {
      check: { state: 'idle' },
      adding: false,
      removals: {},
      mirrorChanges: {},
      pins: {},
      tokenConsents: {},
      knownMirrors: {},
      async refresh() {
        if (!client) return;
        try {
          set({ list: await client.call('primaries.list', {}), loadError: undefined });
        } catch (error) {
          set({ loadError: toErrorInfo(error) });
        }
      },
      async checkPrimary(baseUrl, token) {
        if (!client || !baseUrl.trim()) return;
        const key = checkKey(baseUrl, token);
        const current = get().check;
        if (current.state !== 'idle' && current.key === key) return; // already checked or checking these exact values
        set({ check: { state: 'pending', key } });
        try {
          const credentials = token ? { kind: 'token' as const, token } : undefined;
          const connection = await client.call('primaries.check', { baseUrl: baseUrl.trim(), credentials });
          if (get().check.state === 'pending' && (get().check as { key: string }).key === key) set({ check: { state: 'ok', key, connection } });
        } catch (error) {
          if ((get().check as { key?: string }).key === key) set({ check: { state: 'error', key, error: toErrorInfo(error) } });
        }
      },
      async add(baseUrl, token) {
        if (!client) return false;
        set({ adding: true, addError: undefined });
        try {
          await client.call('primaries.add', { baseUrl: baseUrl.trim(), credentials: { kind: 'token', token } });
          set({ adding: false, check: { state: 'idle' } });
          await get().refresh();
          return true;
        } catch (error) {
          set({ adding: false, addError: toErrorInfo(error) });
          return false;
        }
      },
      resetCheck: () => set({ check: { state: 'idle' }, addError: undefined }),
      remove: (baseUrl) =>
        change('removals', baseUrl, async () => {
          await client!.call('primaries.remove', { baseUrl });
          set((state) => ({ list: state.list?.filter((primary) => primary.baseUrl !== baseUrl) }));
          await get().refresh();
        }),
      setManualMirrors: (baseUrl, mirrors) =>
        change('mirrorChanges', baseUrl, async () => {
          replaceSummary(await client!.call('primaries.setManualMirrors', { baseUrl, mirrors }));
          await get().loadKnownMirrors(baseUrl);
        }),
      pin: (baseUrl, candidate) =>
        change('pins', baseUrl, async () => {
          replaceSummary(await client!.call('primaries.pin', { baseUrl, candidate }));
        }),
      allowToken: (baseUrl, mirrorBaseUrl, host) =>
        change('tokenConsents', mirrorBaseUrl, async () => {
          replaceSummary(await client!.call('primaries.allowTokenForMirror', { baseUrl, mirrorBaseUrl, host }));
        }),
      withdrawToken: (baseUrl, mirrorBaseUrl) =>
        change('tokenConsents', mirrorBaseUrl, async () => {
          replaceSummary(await client!.call('primaries.withdrawTokenForMirror', { baseUrl, mirrorBaseUrl }));
        }),
      async loadKnownMirrors(baseUrl) {
        if (!client) return;
        const setKnown = (known: KnownMirrorsState) => set((state) => ({ knownMirrors: { ...state.knownMirrors, [baseUrl]: known } }));
        // Keep showing the last list while it is read again: the choices do not flicker away.
        if (get().knownMirrors[baseUrl]?.state !== 'done') setKnown({ state: 'pending' });
        try {
          setKnown({ state: 'done', mirrors: await client.call('primaries.knownMirrors', { baseUrl }) });
        } catch (error) {
          setKnown({ state: 'error', error: toErrorInfo(error) });
        }
      },
      refusal(kind, baseUrl) {
        const outcome = get()[kind][baseUrl];
        return outcome?.state === 'error' ? outcome.error : undefined;
      },
      clearChange: (kind, baseUrl) => setChange(kind, baseUrl, undefined),
    };
  });
  if (client) onEveryConnect(client, () => void store.getState().refresh());
  return store;
}
