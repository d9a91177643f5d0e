/** `primaries.*` methods: connect, list and forget Bitbucket primaries. */
import { ContractError, manualMirrorCandidateId, primaryCandidateId, type KnownMirror, type PrimarySummary } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import { createBitbucketClient, normaliseBaseUrl, type BitbucketClientOptions } from '../bitbucket/rest-client';
import type { PrimariesStore, StoredPrimary } from '../store/primaries-store';
import type { CredentialSource } from './credentials';
import { checkConnection } from './check-connection';
import { sshSettingsSchema } from '../bitbucket/schemas';
import type { ManualMirror } from '../store/primaries-store';
import { hostOf } from './token-scope';

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

/** What the pin can choose besides the primary: advertised mirrors discovery saw, then hand-added ones. */
export function knownMirrors(primary: StoredPrimary): KnownMirror[] {
  const advertised = primary.knownMirrors.map((mirror) => ({ id: mirror.id, name: mirror.name, baseUrl: mirror.baseUrl, manual: false, ...(mirror.disabled ? { disabled: true } : {}) }));
  // Discovery skips a hand-added mirror the primary also advertises: so does this list.
  const manual = primary.manualMirrors
    .filter((mirror) => !advertised.some((known) => known.baseUrl === mirror.baseUrl))
    .map((mirror) => ({ id: manualMirrorCandidateId(mirror.baseUrl), name: mirror.name, baseUrl: mirror.baseUrl, manual: true }));
  return [...advertised, ...manual];
}

/** Checks mirrors added by hand: each a usable address, no name or address twice, never the primary's own. */
function checkedManualMirrors(primary: StoredPrimary, mirrors: { name: string; baseUrl: string }[]): ManualMirror[] {
  const checked = mirrors.map((mirror) => {
    const name = mirror.name.trim();
    if (!name) throw new ContractError('INVALID_PARAMS', 'A mirror needs a name.', { hint: 'Name it as people know it, e.g. the city it is in.' });
    try {
      return { name, baseUrl: normaliseBaseUrl(mirror.baseUrl) };
    } catch (error) {
      if (!(error instanceof ContractError)) throw error;
      throw new ContractError('INVALID_PARAMS', `Mirror "${name}": ${error.message}`, {
        hint: "Enter the mirror's base address in full, with https:// (or http://), e.g. https://mirror-fra.example.com",
        cause: error,
      });
    }
  });
  for (const [index, mirror] of checked.entries()) {
    if (mirror.baseUrl === primary.baseUrl) {
      throw new ContractError('INVALID_PARAMS', `${mirror.baseUrl} is the primary itself, not a mirror.`, { hint: 'Enter the address of a mirror of this primary.' });
    }
    const earlier = checked.slice(0, index);
    if (earlier.some((other) => other.name.toLowerCase() === mirror.name.toLowerCase())) {
      throw new ContractError('INVALID_PARAMS', `There is already a mirror named "${mirror.name}".`, { hint: 'Give each mirror its own name.' });
    }
    const sameAddress = earlier.find((other) => other.baseUrl === mirror.baseUrl);
    if (sameAddress) throw new ContractError('INVALID_PARAMS', `${mirror.baseUrl} is already added, as "${sameAddress.name}".`);
  }
  // Consent stays with the address it was given for: a renamed mirror keeps it, a new address has none.
  return checked.map((mirror) => {
    const tokenAllowed = primary.manualMirrors.find((existing) => existing.baseUrl === mirror.baseUrl)?.tokenAllowed;
    return tokenAllowed ? { ...mirror, tokenAllowed } : mirror;
  });
}

function requireManualMirror(primary: StoredPrimary, mirrorBaseUrl: string): ManualMirror {
  let normalised: string;
  try {
    normalised = normaliseBaseUrl(mirrorBaseUrl);
  } catch {
    normalised = mirrorBaseUrl;
  }
  const mirror = primary.manualMirrors.find((candidate) => candidate.baseUrl === normalised);
  if (!mirror) {
    throw new ContractError('NOT_FOUND', `${mirrorBaseUrl} is not a mirror added by hand to ${primary.name}.`, {
      hint: 'Add the mirror first; mirrors the primary advertises need no permission.',
    });
  }
  return mirror;
}

/** The host the user must name to allow a mirror: its host and port, as in "mirror.example.net:8443". */
function consentHost(mirror: ManualMirror): string {
  return hostOf(mirror.baseUrl) ?? mirror.baseUrl;
}

type PrimariesHandlers = Pick<
  Handlers,
  'primaries.check' | 'primaries.add' | 'primaries.list' | 'primaries.remove' | 'primaries.setManualMirrors' | 'primaries.allowTokenForMirror' | 'primaries.withdrawTokenForMirror' | 'primaries.knownMirrors' | 'primaries.pin'
>;

export function createPrimariesService(deps: PrimariesServiceDeps, clock: () => Date = () => new Date()): PrimariesHandlers {
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
      // Also when the record was already gone: a secret left behind by an earlier failure goes too.
      await deps.credentials.forget(normalised);
      return { removed };
    },

    'primaries.setManualMirrors': ({ baseUrl, mirrors }) => {
      const primary = requireKnown(deps.store, baseUrl);
      const checked = checkedManualMirrors(primary, mirrors);
      const updated = deps.store.update(primary.baseUrl, (current) => {
        const next = { ...current, manualMirrors: checked };
        // A pin on a mirror that is no longer there would silently pin nothing: drop it.
        const pinGone = current.pinnedCandidate?.startsWith(manualMirrorCandidateId('')) && !knownMirrors(next).some((mirror) => mirror.id === current.pinnedCandidate);
        return pinGone ? { ...next, pinnedCandidate: undefined } : next;
      });
      return summarise(updated!);
    },

    'primaries.allowTokenForMirror': ({ baseUrl, mirrorBaseUrl, host }) => {
      const primary = requireKnown(deps.store, baseUrl);
      const mirror = requireManualMirror(primary, mirrorBaseUrl);
      const expected = consentHost(mirror);
      const primaryHost = new URL(primary.baseUrl).host;
      if (host.trim().toLowerCase() !== expected) {
        throw new ContractError('INVALID_PARAMS', `"${host}" is not the host of ${mirror.name} (${expected}); the token for ${primaryHost} was not allowed to go anywhere.`, {
          hint: `Name the mirror's host exactly as it is in its address: ${expected}`,
        });
      }
      const updated = deps.store.update(primary.baseUrl, (current) => ({
        ...current,
        manualMirrors: current.manualMirrors.map((entry) => (entry.baseUrl === mirror.baseUrl ? { ...entry, tokenAllowed: { host: expected, confirmedAt: clock().toISOString() } } : entry)),
      }));
      return summarise(updated!);
    },

    'primaries.withdrawTokenForMirror': ({ baseUrl, mirrorBaseUrl }) => {
      const primary = requireKnown(deps.store, baseUrl);
      const mirror = requireManualMirror(primary, mirrorBaseUrl);
      const updated = deps.store.update(primary.baseUrl, (current) => ({
        ...current,
        manualMirrors: current.manualMirrors.map((entry) => (entry.baseUrl === mirror.baseUrl ? { name: entry.name, baseUrl: entry.baseUrl } : entry)),
      }));
      return summarise(updated!);
    },

    'primaries.knownMirrors': ({ baseUrl }) => knownMirrors(requireKnown(deps.store, baseUrl)),

    'primaries.pin': ({ baseUrl, candidate }) => {
      const primary = requireKnown(deps.store, baseUrl);
      const mirror = knownMirrors(primary).find((known) => known.id === candidate);
      if (candidate !== null && candidate !== primaryCandidateId && !mirror) {
        throw new ContractError('INVALID_PARAMS', `${candidate} is not a mirror known for ${primary.name}.`, {
          hint: 'Pin the primary, a mirror added by hand, or one discovery has seen (find a repository of this primary first).',
        });
      }
      // A disabled mirror serves no clones: pinning it would quietly pin nothing.
      if (mirror?.disabled) {
        throw new ContractError('CONFLICT', `${mirror.name} is disabled by the Bitbucket administrators, so it cannot be the preferred server.`, {
          hint: 'Choose another mirror, the primary, or None: the closest. Once an administrator enables it and a discovery sees it, it can be chosen.',
        });
      }
      return summarise(deps.store.update(primary.baseUrl, (current) => ({ ...current, pinnedCandidate: candidate ?? undefined }))!);
    },
  };
}
