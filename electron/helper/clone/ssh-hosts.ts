/**
 * Before an SSH clone: the servers it will talk to first (the chosen source, and the primary for
 * pushes) must have host keys the user already trusts. If not, the clone stops before any
 * transfer with HOST_KEY_UNKNOWN, listing what each server presents and whether it matches the
 * fingerprint the primary advertises for itself (/rest/ssh/latest/settings). The user confirms
 * with `sshHosts.trust` (a dialog, or `--trust-host-key` on the command line).
 */
import { ContractError, type CloneSource, type UnknownHostKey } from '../../../shared/contract';
import { checkCloneUrl } from '../../../shared/git-url-safety';
import type { BitbucketClient } from '../bitbucket/rest-client';
import { sshSettingsSchema } from '../bitbucket/schemas';
import { isHostKnown, scanHostKeys } from '../ssh/host-keys';

function endpointOf(url: string): { host: string; port: number } | undefined {
  const checked = checkCloneUrl(url);
  if (!checked.ok || checked.protocol !== 'ssh') return undefined;
  const port = /:(\d+)$/.exec(checked.host)?.[1];
  return { host: checked.hostname, port: port ? Number(port) : 22 };
}

export async function requireKnownHosts(options: {
  sources: CloneSource[];
  primaryUrl: string;
  knownHostsFile: string;
  client: BitbucketClient;
  signal?: AbortSignal;
}): Promise<void> {
  const endpoints = new Map<string, { host: string; port: number; primary: boolean }>();
  for (const [url, primary] of [[options.sources[0]!.url, false], [options.primaryUrl, true]] as const) {
    const endpoint = endpointOf(url);
    if (!endpoint) continue;
    const key = `${endpoint.host}:${endpoint.port}`;
    endpoints.set(key, { ...endpoint, primary: primary || endpoints.get(key)?.primary === true });
  }
  const unknown = [];
  for (const endpoint of endpoints.values()) {
    if (!(await isHostKnown(endpoint.host, endpoint.port, options.knownHostsFile))) unknown.push(endpoint);
  }
  if (unknown.length === 0) return;

  const settings = await options.client.getJson('/rest/ssh/latest/settings', sshSettingsSchema, { signal: options.signal }).catch(() => undefined);
  const advertised = settings?.fingerprint ? `${settings.fingerprint.algorithm}:${settings.fingerprint.value}` : undefined;
  const hosts: UnknownHostKey[] = [];
  for (const endpoint of unknown) {
    for (const key of await scanHostKeys(endpoint.host, endpoint.port, { signal: options.signal })) {
      hosts.push({ host: endpoint.host, port: endpoint.port, keyType: key.keyType, fingerprint: key.fingerprint, matchesPrimaryAdvertised: endpoint.primary && advertised ? key.fingerprint === advertised : null });
    }
  }
  const names = unknown.map((endpoint) => (endpoint.port === 22 ? endpoint.host : `${endpoint.host}:${endpoint.port}`)).join(', ');
  throw new ContractError('HOST_KEY_UNKNOWN', `The SSH host key of ${names} is not known on this computer yet.`, {
    hint: hosts.length
      ? `Check the fingerprint with your Bitbucket administrators, then trust it (command line: --trust-host-key ${hosts[0]!.fingerprint}).`
      : 'The server did not present a key; check that its SSH port is reachable.',
    details: { hosts },
  });
}
