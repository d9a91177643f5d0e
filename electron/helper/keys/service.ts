/**
 * `keys.list` and `keys.check`. The check asks discovery which servers hold the repository (or
 * the primary's SSH settings when none is named), then tries every usable key on every server's
 * SSH port for real: the only way to know what a server accepts (bitbucket-dc-api.md §6).
 * Servers are tried side by side, keys on one server one after another.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ContractError, type KeyCheck, type KeyCheckServer, type KeyWarning, type keysMethods, type SshKey } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import { createBitbucketClient, normaliseBaseUrl, type BitbucketClient, type BitbucketClientOptions } from '../bitbucket/rest-client';
import { sshSettingsSchema } from '../bitbucket/schemas';
import type { CredentialSource } from '../primaries/credentials';
import type { PrimariesStore } from '../store/primaries-store';
import type { DiscoveryService } from '../discovery/service';
import type { SecretStore } from '../store/secret-store';
import type { KeyChecksStore } from './checks-store';
import { checkWarnings } from './check-warnings';
import { readKeyRestrictions, type KeyRestriction } from './admin-restrictions';
import { endpointOfSshUrl } from './endpoints';
import { listKeys } from './inventory';
import { advertisedHostKey, advertisedIn, lookUpHostKey, type AdvertisedHostKey } from './host-key-status';
import { attemptLogin, type SshEndpoint } from './ssh-attempt';
import { sshRoute } from './ssh-route';
import { parsePublicKeyLine } from './wire-format';

export interface KeysServiceDeps {
  discovery: Pick<DiscoveryService, 'discover'>;
  primaries: PrimariesStore;
  credentials: CredentialSource;
  clientOptions(): Promise<Pick<BitbucketClientOptions, 'ca' | 'pool'>>;
  knownHostsFile: string;
  /** Where the key files are (default ~/.ssh). */
  sshFolder: string;
  /** An ssh config file to route by instead of ssh's own defaults (see ssh-route.ts). */
  sshConfigFile?: string;
  /** SSH_AUTH_SOCK, read when asked: undefined means no agent. */
  agentSocket(): string | undefined;
  store: KeyChecksStore;
  timeoutSeconds?: number;
  /** The OS keychain, for key passphrases the user asks us to remember. */
  secrets?: SecretStore;
}

type CheckParams = z.output<(typeof keysMethods)['keys.check']['params']>;
type ListParams = z.output<(typeof keysMethods)['keys.list']['params']>;
type HostKeysParams = z.output<(typeof keysMethods)['keys.hostKeys']['params']>;

interface Server extends SshEndpoint {
  id: string;
  name: string;
  kind: 'primary' | 'mirror';
}

/** How ssh can be handed this key, or why it cannot be tried. */
type Identity = { file: string; agent: boolean } | { skip: string };

async function uploadedKeys(client: BitbucketClient, signal: AbortSignal): Promise<Set<string> | undefined> {
  try {
    const keys = await client.getAllPages('/rest/ssh/1.0/keys', z.object({ text: z.string() }), { signal, maxItems: 1000 });
    const fingerprints = new Set<string>();
    for (const key of keys) {
      try {
        fingerprints.add(parsePublicKeyLine(key.text).fingerprint);
      } catch {
        // A key type this parser does not know cannot match one of ours anyway.
      }
    }
    return fingerprints;
  } catch (error) {
    if (error instanceof ContractError && error.code === 'CANCELLED') throw error;
    return undefined; // no credentials, or not allowed: unknown, not "not uploaded"
  }
}

export function createKeysService(deps: KeysServiceDeps): { handlers: Pick<Handlers, 'keys.list' | 'keys.check' | 'keys.hostKeys'> } {
  const inventory = () => listKeys({ folder: deps.sshFolder, agentSocket: deps.agentSocket() });

  /** A client for the named primary, or the only one connected; undefined when that is ambiguous. */
  const primaryClient = async (primary: string | undefined): Promise<BitbucketClient | undefined> => {
    const stored = deps.primaries.list();
    const baseUrl = primary ? normaliseBaseUrl(primary) : stored.length === 1 ? stored[0]!.baseUrl : undefined;
    if (!baseUrl) return undefined;
    const credentials = await deps.credentials.forPrimary(baseUrl, { named: Boolean(primary) });
    return createBitbucketClient({ ...(await deps.clientOptions()), baseUrl, credentials });
  };

  /** The inventory and, when asked, which of its keys the primary already has: what lets an upload be offered at any time. */
  const list = async (params: ListParams, signal: AbortSignal) => {
    const keys = await inventory();
    if (!params.withUploads) return keys;
    const client = await primaryClient(params.primary).catch(() => undefined);
    if (!client) return keys;
    const known = await uploadedKeys(client, signal);
    const uploaded = Object.fromEntries(keys.keys.filter((key) => key.fingerprint).map((key) => [key.id, known ? known.has(key.fingerprint!) : null]));
    return { ...keys, uploaded: { primaryBaseUrl: client.baseUrl, keys: uploaded } };
  };

  const hostKeys = async (params: HostKeysParams, signal: AbortSignal) => {
    const client = params.primary ? await primaryClient(params.primary).catch(() => undefined) : undefined;
    const { fingerprint: advertised, endpoint: primaryEndpoint } = client ? await advertisedHostKey(client, signal) : {};
    const hosts = [];
    for (const url of params.urls) {
      const endpoint = endpointOfSshUrl(url);
      if (!endpoint) throw new ContractError('INVALID_PARAMS', `${url} is not an SSH clone URL.`, { hint: 'Give the ssh:// clone URL of the repository on that server.' });
      const isPrimary = primaryEndpoint !== undefined && primaryEndpoint.host === endpoint.host && primaryEndpoint.port === endpoint.port;
      const found = await lookUpHostKey(endpoint, { knownHostsFile: deps.knownHostsFile, advertised, isPrimary, signal });
      hosts.push({ url, host: endpoint.host, port: endpoint.port, ...found });
    }
    return { knownHostsFile: deps.knownHostsFile, hosts };
  };

  /** The servers to try; without a repository, the primary alone, with what its SSH settings advertise (asked once). */
  const serversFor = async (params: CheckParams, signal: AbortSignal): Promise<{ client: BitbucketClient; servers: Server[]; repository?: string; advertised?: AdvertisedHostKey }> => {
    if (params.repository) {
      const discovered = await deps.discovery.discover({ repository: params.repository, primary: params.primary }, signal);
      const servers: Server[] = [];
      for (const candidate of discovered.found) {
        const endpoint = endpointOfSshUrl(candidate.cloneUrls.ssh);
        // Two candidates behind one SSH address (a farm's nodes, a mirror also added by hand) are one server to try.
        if (endpoint && !servers.some((server) => server.host === endpoint.host && server.port === endpoint.port)) servers.push({ id: candidate.id, name: candidate.name, kind: candidate.kind, ...endpoint });
      }
      const { projectKey, slug } = discovered.result.repository;
      return { client: discovered.client, servers, repository: `${projectKey}/${slug}` };
    }
    const client = await primaryClient(params.primary);
    if (!client) throw new ContractError('INVALID_PARAMS', 'Name the primary (or a repository) to check the keys against.', { hint: 'mirror-clone keys check <repository> [--primary <url>]' });
    const advertised = advertisedIn(await client.getJson('/rest/ssh/latest/settings', sshSettingsSchema, { signal }));
    if (!advertised.endpoint) throw new ContractError('NOT_FOUND', `${client.baseUrl} does not serve git over SSH.`, { hint: 'Its administrators have turned SSH off; clone over HTTPS.' });
    return { client, servers: [{ id: 'primary', name: new URL(client.baseUrl).host, kind: 'primary', ...advertised.endpoint }], advertised };
  };

  const check = async (params: CheckParams, signal: AbortSignal): Promise<KeyCheck> => {
    const started = performance.now();
    const [keys, target] = await Promise.all([inventory(), serversFor(params, signal)]);
    const [uploaded, restrictions, { fingerprint: advertised }] = await Promise.all([uploadedKeys(target.client, signal), readKeyRestrictions(target.client, signal), target.advertised ?? advertisedHostKey(target.client, signal)]);
    const scratch = await mkdtemp(path.join(os.tmpdir(), 'mirror-clone-keys-'));
    try {
      const agentSocket = deps.agentSocket();
      const identities = new Map<string, Identity>();
      for (const key of keys.keys) identities.set(key.id, await identityFor(key, { scratch, agentSocket }));
      const servers = await Promise.all(target.servers.map((server) => checkServer(server, keys.keys, identities, advertised, signal)));
      for (const server of servers) deps.store.put(server);
      const uploadedByKey = Object.fromEntries(keys.keys.filter((key) => key.fingerprint).map((key) => [key.id, uploaded ? uploaded.has(key.fingerprint!) : null]));
      const warnings = [
        ...(await checkWarnings({ keys: keys.keys, servers, uploaded: uploadedByKey, primaryBaseUrl: target.client.baseUrl, knownHostsFile: deps.knownHostsFile })),
        ...restrictionWarnings(keys.keys, restrictions),
      ];
      return {
        primaryBaseUrl: target.client.baseUrl,
        repository: target.repository,
        knownHostsFile: deps.knownHostsFile,
        inventory: keys,
        servers,
        uploaded: uploadedByKey,
        restrictions: restrictions && [...restrictions].map(([type, rule]) => ({ type, ...rule })),
        warnings,
        durationMs: Math.round(performance.now() - started),
      };
    } finally {
      await rm(scratch, { recursive: true, force: true });
    }
  };

  const checkServer = async (server: Server, keys: SshKey[], identities: Map<string, Identity>, advertised: string | undefined, signal: AbortSignal): Promise<KeyCheckServer> => {
    const started = performance.now();
    const results: KeyCheckServer['results'] = [];
    // One look at known_hosts instead of one failed login per key; what an unknown server presents is kept for review.
    const hostKey = await lookUpHostKey(server, { knownHostsFile: deps.knownHostsFile, advertised, isPrimary: server.kind === 'primary', signal });
    const known = hostKey.known;
    const route = known ? await sshRoute(server, { configFile: deps.sshConfigFile, signal }) : [];
    for (const key of keys) {
      const identity = identities.get(key.id)!;
      if (!known) results.push({ key: key.id, outcome: 'host-key-unknown', detail: `${server.host}:${server.port} is not in ${deps.knownHostsFile}`, ms: 0 });
      else if ('skip' in identity) results.push({ key: key.id, outcome: 'not-tried', detail: identity.skip, ms: 0 });
      else {
        const attempt = await attemptLogin({ endpoint: server, identityFile: identity.file, agentSocket: identity.agent ? deps.agentSocket() : undefined, knownHostsFile: deps.knownHostsFile, route, timeoutSeconds: deps.timeoutSeconds, signal });
        results.push({ key: key.id, ...attempt });
      }
      if (signal.aborted) throw new ContractError('CANCELLED', 'The key check was cancelled.');
    }
    const { id, name, kind, host, port, user } = server;
    return { id, name, kind, host, port, user, results, checkedAt: new Date().toISOString(), durationMs: Math.round(performance.now() - started), ...(known ? {} : { unknownHostKeys: hostKey.presented }) };
  };

  return {
    handlers: {
      'keys.list': (params, { signal }) => list(params, signal),
      'keys.check': (params, { signal }) => check(params, signal),
      'keys.hostKeys': (params, { signal }) => hostKeys(params, signal),
    },
  };
}

/**
 * A key file without a passphrase is handed to ssh as is. A key the agent holds is used through
 * the agent, named by its public half (ssh then asks the agent for that key only).
 */
async function identityFor(key: SshKey, context: { scratch: string; agentSocket?: string }): Promise<Identity> {
  if (key.problem) return { skip: 'the file is not a usable key' };
  // A security key signs only after a touch: a check in the background must not wait for one.
  if (key.type === 'ED25519-SK' || key.type === 'ECDSA-SK') return { skip: 'a security key needs a touch to log in, so it is not tried automatically' };
  if (key.privateKeyPath && key.passphrase === 'none') return { file: key.privateKeyPath, agent: false };
  if (key.inAgent && key.publicKey && context.agentSocket) {
    const file = path.join(context.scratch, `${key.fingerprint!.replace(/[^A-Za-z0-9]/g, '_')}.pub`);
    await writeFile(file, `${key.publicKey}\n`, { mode: 0o600 });
    return { file, agent: true };
  }
  if (key.passphrase === 'protected') return { skip: 'it has a passphrase and is not in the agent (load it with ssh-add to check it)' };
  return { skip: 'there is no private key for it here' };
}

/** Keys the administrators' rules refuse, said before any upload or login fails on them. */
function restrictionWarnings(keys: SshKey[], restrictions: Map<string, KeyRestriction> | undefined): KeyWarning[] {
  if (!restrictions) return [];
  return keys.flatMap((key): KeyWarning[] => {
    const rule = key.type ? restrictions.get(key.type) : undefined;
    if (!rule || !key.fingerprint) return [];
    if (!rule.allowed) {
      return [{ code: 'type-not-allowed', key: key.fingerprint, message: `${key.name}: this Bitbucket's administrators do not allow ${key.type} keys.`, fix: 'Generate an ECDSA key (mirror-clone keys generate --type ecdsa) and upload it.' }];
    }
    if (rule.minKeyLength && key.bits && key.bits < rule.minKeyLength) {
      return [{ code: 'type-not-allowed', key: key.fingerprint, message: `${key.name}: ${key.type} keys must have at least ${rule.minKeyLength} bits here; this one has ${key.bits}.`, fix: 'Generate a new key (ECDSA, or RSA 4096) and upload it.' }];
    }
    return [];
  });
}
