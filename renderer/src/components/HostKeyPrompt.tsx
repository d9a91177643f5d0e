/**
 * SSH servers whose host key is not known yet: what each presents (server and port, key type,
 * SHA256 fingerprint), whether that matches what the primary advertises, and trusting exactly
 * these fingerprints (sshHosts.trust). The same review serves a failed clone card ("trust and
 * retry"), the SSH keys page and the clone panel. Nothing is trusted without this explicit click.
 */
import { useState } from 'react';
import { z } from 'zod';
import { unknownHostKeySchema, type CloneJob, type UnknownHostKey } from '../../../shared/contract';
import { useCloneJobs, useKeys } from '../state/stores';
import { toErrorInfo, type ErrorInfo } from '../state/errors';
import { ErrorMessage } from './ErrorMessage';
import { Fingerprint } from './KeyText';

const hostsSchema = z.object({ hosts: z.array(unknownHostKeySchema) });

export function unknownHostKeys(job: CloneJob) {
  if (job.error?.code !== 'HOST_KEY_UNKNOWN') return undefined;
  const parsed = hostsSchema.safeParse(job.error.details);
  return parsed.success && parsed.data.hosts.length > 0 ? parsed.data.hosts : undefined;
}

const serverName = (host: UnknownHostKey) => (host.port === 22 ? host.host : `${host.host}:${host.port}`);

/**
 * The review table and its one action: trust these keys (then `after`, e.g. retry the clone).
 * `label` names the action; `testId` tells one review from another on a page.
 */
export function TrustHostKeys({ hosts, label, after, testId = 'host-keys' }: { hosts: UnknownHostKey[]; label: string; after?: () => Promise<void>; testId?: string }) {
  const trust = useKeys((state) => state.trustHostKeys);
  const [state, setState] = useState<{ pending: boolean; error?: ErrorInfo }>({ pending: false });

  const trustThem = async () => {
    if (state.pending) return;
    setState({ pending: true });
    try {
      await trust(hosts);
      await after?.();
      setState({ pending: false });
    } catch (error) {
      setState({ pending: false, error: toErrorInfo(error) });
    }
  };

  return (
    <div className="host-keys" data-testid={testId}>
      <div className="host-keys__scroll" tabIndex={0} role="region" aria-label="Host keys to review">
        <table className="host-keys__table">
          <caption className="visually-hidden">Host keys to review</caption>
          <thead>
            <tr><th scope="col">Server and key type</th><th scope="col">Fingerprint (SHA256)</th></tr>
          </thead>
          <tbody>
            {hosts.map((host) => (
              <tr key={`${host.host}:${host.port}:${host.fingerprint}`} data-testid="host-key" data-server={serverName(host)}>
                <td className="host-keys__server">
                  <span title={serverName(host)}>{serverName(host)}</span>
                  <span className="muted host-keys__type" title={host.keyType}>{host.keyType}</span>
                </td>
                <td className="host-keys__fingerprint">
                  <Fingerprint value={host.fingerprint} testId="host-key-fingerprint" />
                  {host.matchesPrimaryAdvertised !== null && (
                    <span className="host-keys__match">
                      {host.matchesPrimaryAdvertised ? <span className="ok-text">Matches what the primary advertises</span> : <span className="pill pill--bad">Does not match what the primary advertises</span>}
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {hosts.length === 0 ? (
        <p className="warn-text host-keys__none">The server presented no host key: check that its SSH port is reachable, then try again.</p>
      ) : (
        <div className="form-actions">
          <button type="button" className="button button--small button--primary" onClick={() => void trustThem()} aria-disabled={state.pending}>
            {state.pending ? 'Trusting…' : label}
          </button>
          <span className="muted">Only if your Bitbucket administrators confirm the fingerprint.</span>
        </div>
      )}
      {state.error && <ErrorMessage error={state.error} title="Could not trust the key." />}
    </div>
  );
}

export function HostKeyPrompt({ job }: { job: CloneJob }) {
  const hosts = unknownHostKeys(job) ?? [];
  const retry = useCloneJobs((state) => state.retry);
  return <TrustHostKeys hosts={hosts} label={hosts.length > 1 ? 'Trust these keys and retry' : 'Trust this key and retry'} after={() => retry(job.jobId)} />;
}
