/**
 * An SSH server whose host key is not known yet: what it presents, whether that matches what the
 * primary advertises, and trusting exactly these fingerprints (sshHosts.trust) before a retry.
 * Nothing is trusted without this explicit click.
 */
import { useState } from 'react';
import { z } from 'zod';
import { unknownHostKeySchema, type CloneJob } from '../../../shared/contract';
import { useCloneJobs } from '../state/stores';
import { toErrorInfo, type ErrorInfo } from '../state/errors';
import { ErrorMessage } from './ErrorMessage';

const hostsSchema = z.object({ hosts: z.array(unknownHostKeySchema) });

export function unknownHostKeys(job: CloneJob) {
  if (job.error?.code !== 'HOST_KEY_UNKNOWN') return undefined;
  const parsed = hostsSchema.safeParse(job.error.details);
  return parsed.success && parsed.data.hosts.length > 0 ? parsed.data.hosts : undefined;
}

export function HostKeyPrompt({ job }: { job: CloneJob }) {
  const hosts = unknownHostKeys(job) ?? [];
  const trust = useCloneJobs((state) => state.trustHostKey);
  const retry = useCloneJobs((state) => state.retry);
  const [state, setState] = useState<{ pending: boolean; error?: ErrorInfo }>({ pending: false });

  const trustAndRetry = async () => {
    if (state.pending) return;
    setState({ pending: true });
    try {
      for (const host of hosts) await trust({ host: host.host, port: host.port, fingerprint: host.fingerprint });
      await retry(job.jobId);
    } catch (error) {
      setState({ pending: false, error: toErrorInfo(error) });
    }
  };

  return (
    <div className="host-keys" data-testid="host-keys">
      <table className="host-keys__table">
        <thead>
          <tr><th scope="col">Server</th><th scope="col">Key</th><th scope="col">Fingerprint</th><th scope="col">Primary advertises</th></tr>
        </thead>
        <tbody>
          {hosts.map((host) => (
            <tr key={`${host.host}:${host.port}:${host.fingerprint}`}>
              <td>{host.port === 22 ? host.host : `${host.host}:${host.port}`}</td>
              <td>{host.keyType}</td>
              <td><code data-testid="host-key-fingerprint">{host.fingerprint}</code></td>
              <td>
                {host.matchesPrimaryAdvertised === null ? <span className="muted">—</span> : host.matchesPrimaryAdvertised ? <span className="ok-text">matches</span> : <span className="pill pill--bad">does not match</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="form-actions">
        <button type="button" className="button button--small button--primary" onClick={() => void trustAndRetry()} aria-disabled={state.pending}>
          {state.pending ? 'Trusting…' : hosts.length > 1 ? 'Trust these keys and retry' : 'Trust this key and retry'}
        </button>
        <span className="muted">Only if your Bitbucket administrators confirm the fingerprint.</span>
      </div>
      {state.error && <ErrorMessage error={state.error} title="Could not trust the key." />}
    </div>
  );
}
