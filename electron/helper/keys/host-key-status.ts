/**
 * Whether an SSH server's host key is already trusted (in known_hosts) and, when it is not, what
 * it presents now, with whether that matches the fingerprint the primary advertises for itself.
 * The SSH keys page and the clone panel show this before anything is trusted; trusting stays an
 * explicit `sshHosts.trust` of one exact fingerprint.
 */
import type { UnknownHostKey } from '../../../shared/contract';
import type { BitbucketClient } from '../bitbucket/rest-client';
import { sshSettingsSchema } from '../bitbucket/schemas';
import { isHostKnown, scanHostKeys } from '../ssh/host-keys';
import { endpointOfSshSettings } from './endpoints';

export interface HostKeyLookup {
  known: boolean;
  presented: UnknownHostKey[];
}

/** The primary's own SSH endpoint and host key fingerprint (SHA256:...), as far as it advertises them. */
export async function advertisedHostKey(client: BitbucketClient, signal?: AbortSignal): Promise<{ fingerprint?: string; endpoint?: { host: string; port: number } }> {
  const settings = await client.getJson('/rest/ssh/latest/settings', sshSettingsSchema, { signal }).catch(() => undefined);
  if (!settings) return {};
  return { fingerprint: settings.fingerprint ? `${settings.fingerprint.algorithm}:${settings.fingerprint.value}` : undefined, endpoint: endpointOfSshSettings(settings) };
}

export async function lookUpHostKey(
  endpoint: { host: string; port: number },
  options: { knownHostsFile: string; /** Set for the primary's own endpoint. */ advertised?: string; isPrimary?: boolean; signal?: AbortSignal },
): Promise<HostKeyLookup> {
  if (await isHostKnown(endpoint.host, endpoint.port, options.knownHostsFile).catch(() => false)) return { known: true, presented: [] };
  const scanned = await scanHostKeys(endpoint.host, endpoint.port, { signal: options.signal, timeoutSeconds: 5 }).catch(() => []);
  return {
    known: false,
    presented: scanned.map((key) => ({
      host: key.host,
      port: key.port,
      keyType: key.keyType,
      fingerprint: key.fingerprint,
      matchesPrimaryAdvertised: options.isPrimary && options.advertised ? key.fingerprint === options.advertised : null,
    })),
  };
}
