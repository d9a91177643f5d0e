/**
 * Where each server listens for SSH: from its advertised SSH clone URL (discovery), or for a
 * primary alone from /rest/ssh/latest/settings. Every URL passes the clone URL safety gate first,
 * so no host or user can reach ssh as an option.
 */
import { checkCloneUrl } from '../../../shared/git-url-safety';
import type { SshEndpoint } from './ssh-attempt';

export function endpointOfSshUrl(url: string | undefined): SshEndpoint | undefined {
  if (!url) return undefined;
  const checked = checkCloneUrl(url);
  if (!checked.ok || checked.protocol !== 'ssh') return undefined;
  const port = /:(\d+)$/.exec(checked.host)?.[1];
  let user = 'git';
  if (/^ssh:\/\//i.test(url)) user = decodeURIComponent(new URL(url).username) || 'git';
  else user = url.slice(0, url.indexOf('@')) || 'git';
  if (user.startsWith('-') || !/^[A-Za-z0-9._~-]+$/.test(user)) return undefined;
  return { host: checked.hostname.replace(/^\[(.*)\]$/, '$1'), port: port ? Number(port) : 22, user };
}

/** `baseUrl` is like ssh://git@bitbucket.example.com:7999 (some servers omit the user: Bitbucket's is git). */
export function endpointOfSshSettings(settings: { enabled: boolean; baseUrl?: string; port?: number }): SshEndpoint | undefined {
  if (!settings.enabled || !settings.baseUrl) return undefined;
  const endpoint = endpointOfSshUrl(`${settings.baseUrl.replace(/\/+$/, '')}/x.git`);
  if (!endpoint) return undefined;
  const explicitPort = /:\d+$/.test(settings.baseUrl.replace(/\/+$/, ''));
  return { ...endpoint, port: explicitPort ? endpoint.port : (settings.port ?? endpoint.port) };
}
