/** `primaries.*` methods: connect, list and forget Bitbucket primaries. */
import { ContractError, type PrimarySummary } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import { createBitbucketClient, normaliseBaseUrl, type BitbucketClientOptions } from '../bitbucket/rest-client';
import type { PrimariesStore, StoredPrimary } from '../store/primaries-store';
import type { CredentialSource } from './credentials';
import { checkConnection } from './check-connection';
import { sshSettingsSchema } from '../bitbucket/schemas';

export interface PrimariesServiceDeps {
  store: PrimariesStore;
  credentials: CredentialSource;
  /** Options every Bitbucket client gets (extra CA, request function for tests). */
  clientOptions(): Promise<Pick<BitbucketClientOptions, 'ca' | 'pool' | 'request'>>;
}

export function summarise(primary: StoredPrimary): PrimarySummary {
  return {
    baseUrl: primary.baseUrl,
    name: primary.name,
    version: primary.version,
    authKind: primary.authKind,
    username: primary.username,
    insecure: primary.baseUrl.startsWith('http:'),
    manualMirrors: primary.manualMirrors,
    pinnedCandidate: primary.pinnedCandidate,
  };
}

function requireKnown(store: PrimariesStore, baseUrl: string): StoredPrimary {
  const primary = store.get(normaliseBaseUrl(baseUrl));
  if (!primary) throw new ContractError('NOT_FOUND', `${baseUrl} is not a connected primary.`, { hint: 'Connect it first (mirror-clone login <url>).' });
  return primary;
}

export function createPrimariesService(deps: PrimariesServiceDeps): Pick<Handlers, 'primaries.check' | 'primaries.add' | 'primaries.list' | 'primaries.remove' | 'primaries.setManualMirrors' | 'primaries.pin'> {
  return {
    'primaries.check': async ({ baseUrl, credentials }, { signal }) => {
      const client = createBitbucketClient({ ...(await deps.clientOptions()), baseUrl, credentials });
      return checkConnection(client, { authenticated: credentials !== undefined, signal });
    },

    'primaries.add': async ({ baseUrl, credentials }, { signal }) => {
      const client = createBitbucketClient({ ...(await deps.clientOptions()), baseUrl, credentials });
      const connection = await checkConnection(client, { authenticated: true, signal });
      const ssh = await client.getJson('/rest/ssh/latest/settings', sshSettingsSchema, { signal }).catch(() => undefined);
      const sshUrl = ssh?.enabled && ssh.baseUrl ? new URL(ssh.baseUrl) : undefined;
      await deps.credentials.save(client.baseUrl, credentials);
      const existing = deps.store.get(client.baseUrl);
      const primary: StoredPrimary = {
        baseUrl: client.baseUrl,
        name: connection.displayName && connection.displayName !== 'Bitbucket' ? connection.displayName : new URL(client.baseUrl).host,
        version: connection.version,
        authKind: credentials.kind,
        username: credentials.kind === 'password' ? credentials.username : connection.username,
        addedAt: existing?.addedAt ?? new Date().toISOString(),
        ssh: sshUrl ? { host: sshUrl.hostname, port: ssh?.port ?? (sshUrl.port ? Number(sshUrl.port) : undefined) } : undefined,
        manualMirrors: existing?.manualMirrors ?? [],
        knownMirrors: existing?.knownMirrors ?? [],
        pinnedCandidate: existing?.pinnedCandidate,
      };
      deps.store.put(primary);
      return summarise(primary);
    },

    'primaries.list': () => deps.store.list().map(summarise),

    'primaries.remove': async ({ baseUrl }) => {
      const normalised = normaliseBaseUrl(baseUrl);
      const removed = deps.store.remove(normalised);
      await deps.credentials.forget(normalised);
      return { removed };
    },

    'primaries.setManualMirrors': ({ baseUrl, mirrors }) => {
      const primary = requireKnown(deps.store, baseUrl);
      const checked = mirrors.map((mirror) => ({ name: mirror.name.trim(), baseUrl: normaliseBaseUrl(mirror.baseUrl) }));
      return summarise(deps.store.update(primary.baseUrl, (current) => ({ ...current, manualMirrors: checked }))!);
    },

    'primaries.pin': ({ baseUrl, candidate }) => {
      const primary = requireKnown(deps.store, baseUrl);
      return summarise(deps.store.update(primary.baseUrl, (current) => ({ ...current, pinnedCandidate: candidate ?? undefined }))!);
    },
  };
}
