/**
 * The SSH keys domain: the inventory with which keys the primary already has (`keys.list`), one
 * check against the servers of a repository at a time (`keys.check`), making a key
 * (`keys.generate`), uploading one to the primary (`keys.upload`), and the SSH servers' host keys
 * (`keys.hostKeys`, trusted with `sshHosts.trust`), each with its own pending and error state.
 * What the helper says is the truth: an upload or a trust updates it, nothing is remembered only
 * by a component (and lost on navigation).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, ParamsOf, ResultOf, UnknownHostKey } from '../../../shared/contract';
import { onEveryConnect, toErrorInfo, type ErrorInfo } from './errors';

export type KeyCheck = ResultOf<'keys.check'>;
export type KeyInventory = ResultOf<'keys.list'>;
export type SshKey = KeyInventory['keys'][number];
export type KeyWarning = SshKey['warnings'][number];
export type HostKeyStatus = ResultOf<'keys.hostKeys'>['hosts'][number];
export type GenerateChoice = ParamsOf<'keys.generate'>;
type Generated = ResultOf<'keys.generate'>;

export type CallState<T> = { state: 'pending' } | { state: 'done'; result: T } | { state: 'error'; error: ErrorInfo };

export interface KeysSlice {
  inventory?: KeyInventory;
  loadError?: ErrorInfo;
  check?: CallState<KeyCheck> & { repository: string; primary?: string };
  generated?: CallState<Generated>;
  /** Per public key text. */
  uploads: Record<string, CallState<{ primaryBaseUrl: string; fingerprint: string }>>;
  /** Per SSH clone URL: is that server's host key trusted, and what does it present. */
  hostKeys: Record<string, CallState<HostKeyStatus>>;
  /**
   * Reads the key folder and the agent again; `withUploads` also asks the primary which keys it
   * has (a REST call to a server that may be far away: the SSH keys page asks, a reconnect does not).
   */
  refresh(options?: { withUploads?: boolean }): Promise<void>;
  runCheck(repository: string, primary?: string): Promise<void>;
  generate(choice: GenerateChoice): Promise<void>;
  upload(publicKey: string, primary?: string): Promise<void>;
  /** Looks up the host keys of these SSH clone URLs (again, with `force`: known_hosts may have changed meanwhile). */
  lookUpHostKeys(urls: string[], options?: { primary?: string; force?: boolean }): Promise<void>;
  /** Trusts exactly these fingerprints, then refreshes what depended on them (host key look-ups, the last check). */
  trustHostKeys(keys: UnknownHostKey[]): Promise<void>;
}

/** The check as it would have come out with this key on the primary: its "not uploaded" warning gone. */
function withUploaded(check: KeyCheck, fingerprint: string): KeyCheck {
  const ids = check.inventory.keys.filter((key) => key.fingerprint === fingerprint).map((key) => key.id);
  return {
    ...check,
    uploaded: { ...check.uploaded, ...Object.fromEntries(ids.map((id) => [id, true])) },
    warnings: check.warnings.filter((warning) => !(warning.code === 'not-uploaded' && warning.key !== undefined && ids.includes(warning.key))),
  };
}

export function createKeysSlice(client: HelperClient | undefined): StoreApi<KeysSlice> {
  let checkCounter = 0;
  const hostKeyParams = new Map<string, string | undefined>();
  const store = createStore<KeysSlice>()((set, get) => ({
    uploads: {},
    hostKeys: {},
    async refresh({ withUploads = true } = {}) {
      if (!client) return;
      try {
        const inventory = await client.call('keys.list', withUploads ? { withUploads } : {});
        // Without asking the primary, what it last said of the keys is kept.
        set((state) => ({ inventory: withUploads ? inventory : { ...inventory, uploaded: state.inventory?.uploaded }, loadError: undefined }));
      } catch (error) {
        set({ loadError: toErrorInfo(error) });
      }
    },
    async runCheck(repository, primary) {
      if (!client) return;
      const run = ++checkCounter;
      set({ check: { state: 'pending', repository, primary } });
      try {
        const result = await client.call('keys.check', { repository, primary });
        // The check reads the folder too, but not the primary's key list per key: keep that part.
        if (run === checkCounter) set((state) => ({ check: { state: 'done', result, repository, primary }, inventory: { ...result.inventory, uploaded: state.inventory?.uploaded } }));
      } catch (error) {
        if (run === checkCounter) set({ check: { state: 'error', error: toErrorInfo(error), repository, primary } });
      }
    },
    async generate(choice) {
      if (!client) return;
      set({ generated: { state: 'pending' } });
      try {
        const result = await client.call('keys.generate', choice);
        set({ generated: { state: 'done', result } });
        await get().refresh();
      } catch (error) {
        set({ generated: { state: 'error', error: toErrorInfo(error) } });
      }
    },
    async upload(publicKey, primary) {
      if (!client) return;
      set((state) => ({ uploads: { ...state.uploads, [publicKey]: { state: 'pending' } } }));
      try {
        const result = await client.call('keys.upload', { publicKey, primary });
        set((state) => {
          const check = state.check?.state === 'done' && state.check.result.primaryBaseUrl === result.primaryBaseUrl ? { ...state.check, result: withUploaded(state.check.result, result.fingerprint) } : state.check;
          return { uploads: { ...state.uploads, [publicKey]: { state: 'done', result } }, check };
        });
        await get().refresh();
      } catch (error) {
        set((state) => ({ uploads: { ...state.uploads, [publicKey]: { state: 'error', error: toErrorInfo(error) } } }));
      }
    },
    async lookUpHostKeys(urls, options = {}) {
      if (!client) return;
      const wanted = urls.filter((url) => options.force || !get().hostKeys[url] || get().hostKeys[url]!.state === 'error');
      if (wanted.length === 0) return;
      for (const url of wanted) hostKeyParams.set(url, options.primary);
      // A refresh keeps showing what was known until the answer comes (no flicker to "checking").
      set((state) => ({ hostKeys: { ...state.hostKeys, ...Object.fromEntries(wanted.filter((url) => state.hostKeys[url]?.state !== 'done').map((url) => [url, { state: 'pending' as const }])) } }));
      try {
        const { hosts } = await client.call('keys.hostKeys', { urls: wanted, primary: options.primary });
        set((state) => ({ hostKeys: { ...state.hostKeys, ...Object.fromEntries(hosts.map((host) => [host.url, { state: 'done' as const, result: host }])) } }));
      } catch (error) {
        const failed = { state: 'error' as const, error: toErrorInfo(error) };
        set((state) => ({ hostKeys: { ...state.hostKeys, ...Object.fromEntries(wanted.map((url) => [url, failed])) } }));
      }
    },
    async trustHostKeys(keys) {
      if (!client) return;
      for (const key of keys) await client.call('sshHosts.trust', { host: key.host, port: key.port, fingerprint: key.fingerprint });
      const trusted = (status: CallState<HostKeyStatus>) => status.state === 'done' && keys.some((key) => key.host === status.result.host && key.port === status.result.port);
      // What depended on those host keys is refreshed in the background: a retry waiting on this trust starts at once.
      const stale = Object.entries(get().hostKeys).filter(([, status]) => trusted(status)).map(([url]) => url);
      for (const url of stale) void get().lookUpHostKeys([url], { primary: hostKeyParams.get(url), force: true });
      // A check made before the trust could not try any key on those servers: try again.
      const check = get().check;
      if (check?.state === 'done' && check.result.servers.some((server) => server.unknownHostKeys && keys.some((key) => key.host === server.host && key.port === server.port))) {
        void get().runCheck(check.repository, check.primary);
      }
    },
  }));
  if (client) onEveryConnect(client, () => void store.getState().refresh({ withUploads: false }));
  return store;
}
