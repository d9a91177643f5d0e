/**
 * The clone panel's word on SSH: whether a clone over it can work for the chosen server, from the
 * keys, the servers' host keys and the last key check; and when a host key is not trusted yet,
 * its review in place, so SSH becomes available without leaving the panel.
 */
import { useEffect, useState } from 'react';
import type { Candidate, DiscoveryResult } from '../../../shared/contract';
import { useKeys, useNavigation } from '../state/stores';
import { sshReadiness, type SshReadiness } from '../state/ssh-readiness';
import { TrustHostKeys } from './HostKeyPrompt';
import { CodeText } from './KeyText';

type Repository = DiscoveryResult['repository'] | undefined;

/** The source server's SSH URL and the primary's (pushes go there): both host keys must be trusted. */
function sshUrlsOf(repository: Repository, server: Candidate | undefined): string[] {
  return [...new Set([server?.cloneUrls.ssh, repository?.cloneUrls.ssh].filter((url): url is string => Boolean(url)))];
}

export function useSshReadiness(repository: Repository, server: Candidate | undefined): SshReadiness & { checkState?: 'pending' | 'error'; checkError?: string; repositoryRef?: string } {
  const inventory = useKeys((state) => state.inventory);
  const keyCheck = useKeys((state) => state.check);
  const hostKeys = useKeys((state) => state.hostKeys);
  const lookUpHostKeys = useKeys((state) => state.lookUpHostKeys);
  const repositoryRef = repository ? `${repository.projectKey}/${repository.slug}` : undefined;
  const checkForThis = keyCheck && keyCheck.repository === repositoryRef ? keyCheck : undefined;
  const urls = sshUrlsOf(repository, server);
  const urlsKey = urls.join(' ');
  const primary = repository?.primaryBaseUrl;

  // Asked again whenever the servers change: known_hosts is the user's file and may have changed.
  useEffect(() => {
    if (urlsKey) void lookUpHostKeys(urlsKey.split(' '), { primary, force: true });
  }, [urlsKey, primary, lookUpHostKeys]);

  const statuses = urls.map((url) => hostKeys[url]);
  const readiness = sshReadiness({
    hasSshUrl: repository === undefined || Boolean(repository.cloneUrls.ssh),
    inventory,
    check: checkForThis?.state === 'done' ? checkForThis.result : undefined,
    server,
    // A look-up that failed says nothing either way: the clone itself still checks before it starts.
    hostKeys: urls.length ? { pending: statuses.some((status) => !status || status.state === 'pending'), hosts: statuses.flatMap((status) => (status?.state === 'done' ? [status.result] : [])) } : undefined,
  });
  return { ...readiness, checkState: checkForThis?.state === 'done' ? undefined : checkForThis?.state, checkError: checkForThis?.state === 'error' ? checkForThis.error.message : undefined, repositoryRef };
}

export function SshReadinessNote({ id, readiness, repository }: { id: string; readiness: ReturnType<typeof useSshReadiness>; repository: Repository }) {
  const runKeyCheck = useKeys((state) => state.runCheck);
  const showSection = useNavigation((state) => state.show);
  const [reviewing, setReviewing] = useState(false);
  const unknownHosts = readiness.unknownHosts ?? [];
  const presented = unknownHosts.flatMap((host) => host.presented);
  return (
    <>
      {/* Reserved line: what is known about SSH for this server, without moving the fields. */}
      <p className="clone-options__ssh muted" id={id} data-testid="ssh-readiness" aria-live="polite">
        {/* One flex item per sentence: a path's parts inside it must not become items spaced apart. */}
        <span>{readiness.checkState === 'pending' ? 'Checking your SSH keys against these servers…' : readiness.message && <CodeText text={readiness.message} />}</span>
        {readiness.checkError && <span>Could not check SSH keys: {readiness.checkError}</span>}
        {readiness.canCheck && readiness.repositoryRef && readiness.checkState !== 'pending' && (
          <button type="button" className="link-button" onClick={() => void runKeyCheck(readiness.repositoryRef!, repository?.primaryBaseUrl)}>
            Check SSH keys for these servers
          </button>
        )}
        {unknownHosts.length > 0 && (
          <button type="button" className="link-button" aria-expanded={reviewing} onClick={() => setReviewing(!reviewing)}>
            {reviewing ? 'Hide the host key' : unknownHosts.length > 1 ? 'Review the host keys' : 'Review the host key'}
          </button>
        )}
        {!readiness.available && unknownHosts.length === 0 && repository?.cloneUrls.ssh && (
          <button type="button" className="link-button" onClick={() => showSection('keys')}>
            Open SSH keys
          </button>
        )}
      </p>
      {reviewing && unknownHosts.length > 0 && (
        <div className="clone-options__host-keys">
          <TrustHostKeys hosts={presented} label={presented.length > 1 ? 'Trust these keys' : 'Trust this key'} testId="clone-host-keys" />
        </div>
      )}
    </>
  );
}
