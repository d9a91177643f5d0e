/**
 * Whether an SSH server's host key is already trusted (in known_hosts) and, when it is not, what
 * it presents now, with whether that matches the fingerprint the primary advertises for itself.
 * The SSH keys page and the clone panel show this before anything is trusted; trusting stays an
 * explicit `sshHosts.trust` of one exact fingerprint.
 */
import type { z } from 'zod';
import type { UnknownHostKey } from '../../../shared/contract';
import type { BitbucketClient } from '../bitbucket/rest-client';
import { sshSettingsSchema } from '../bitbucket/schemas';
import { isHostKnown, scanHostKeys } from '../ssh/host-keys';
import { endpointOfSshSettings } from './endpoints';
import type { SshEndpoint } from './ssh-attempt';

export interface HostKeyLookup {
  known: boolean;
  presented: UnknownHostKey[];
}

export interface AdvertisedHostKey {
  fingerprint?: string;
  endpoint?: SshEndpoint;
}

/** What the primary's SSH settings say of its own endpoint and host key fingerprint (SHA256:...). */
export function advertisedIn(settings: z.infer<typeof sshSettingsSchema>): AdvertisedHostKey {
  return { fingerprint: settings.fingerprint ? `${settings.fingerprint.algorithm}:${settings.fingerprint.value}` : undefined, endpoint: endpointOfSshSettings(settings) };
}

/** The primary's own SSH endpoint and host key fingerprint, as far as it advertises them (nothing when it does not answer). */
export async function advertisedHostKey(client: BitbucketClient, signal?: AbortSignal): Promise<AdvertisedHostKey> {
  const settings = await client.getJson('/rest/ssh/latest/settings', sshSettingsSchema, { signal }).catch(() => undefined);
  return settings ? advertisedIn(settings) : {};
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
