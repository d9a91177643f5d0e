/**
 * The environment of every git transfer the helper starts for a repository (clone, fetch,
 * switch, local mirrors): the primary's credentials for exactly the origins it vouches for, the
 * extra CA, a give-up on stalled servers, and the safe SSH options. One place, so every transfer
 * authenticates and trusts the same way.
 */
import type { Discovered } from '../discovery/service';
import { configEnv } from '../git/runner';
import { gitTrust, type GitTrust } from '../net/git-trust';
import { httpAuthConfig } from './auth-env';
import { sshEnvironment } from './ssh-env';
import { httpOrigin, httpOrigins } from '../net/http-origins';

export interface TransferEnvironment {
  env: Record<string, string>;
  /** http(s) clone URLs of the primary and the mirrors it vouches for (or the user allowed by name). */
  vouchedUrls: string[];
  /** Whether the primary's credentials may go to this URL's origin (for in-process clones). */
  sendsTokenTo(url: string): boolean;
  trust: GitTrust;
}

export async function transferEnvironment(
  discovered: Pick<Discovered, 'credentials' | 'ca'> & { found: Pick<Discovered['found'][number], 'sendsToken' | 'cloneUrls'>[] },
  options: { protocol: 'http' | 'ssh'; dataDir: string; knownHostsFile?: string },
): Promise<TransferEnvironment> {
  const vouchedUrls = discovered.found.flatMap((candidate) => (candidate.sendsToken && candidate.cloneUrls.http ? [candidate.cloneUrls.http] : []));
  const vouchedOrigins = new Set(httpOrigins(vouchedUrls));
  const sendsTokenTo = (url: string) => vouchedOrigins.has(httpOrigin(url) ?? '');
  const trust = await gitTrust(discovered.ca, options.dataDir);
  const env = {
    // A server that stops sending (a stalled mirror) fails the attempt after 20 s below 1 KB/s,
    // so the next source gets its turn instead of the transfer hanging.
    // Received packs are kept as they arrive (index-pack, never unpack-objects, which holds an
    // object until it is complete and writes it compressed): the object folder then grows with
    // every byte a server sends, which is what the transfer budget measures (transfer-budget.ts).
    ...configEnv([
      ...httpAuthConfig(discovered.credentials, vouchedUrls),
      ['http.lowSpeedLimit', '1000'],
      ['http.lowSpeedTime', '20'],
      ['fetch.unpackLimit', '1'],
      ['transfer.unpackLimit', '1'],
      // Git LFS files are checked out as their pointers here, without starting git-lfs at all
      // (a filter configured system-wide for a git-lfs that is not installed would fail the
      // checkout); the clone's LFS phase fetches the contents (lfs/large-files.ts).
      ['filter.lfs.process', ''],
      ['filter.lfs.smudge', ''],
      ['filter.lfs.required', 'false'],
    ]),
    ...trust.env,
    // Should git-lfs run anyway (a filter from a config file the entries above do not reach),
    // it leaves pointers too: large files come in the LFS phase, with progress and from the right server.
    GIT_LFS_SKIP_SMUDGE: '1',
    ...(options.protocol === 'ssh' ? sshEnvironment(options.knownHostsFile) : {}),
  };
  return { env, vouchedUrls, sendsTokenTo, trust };
}
