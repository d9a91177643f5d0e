/**
 * What a failed attempt at one source says to the user: the failure itself, and for a mirror
 * added by hand that refused an anonymous request, why it was anonymous and how to allow it.
 */
import { ContractError, type CloneSource } from '../../../shared/contract';
import { checkCloneUrl } from '../../../shared/git-url-safety';
import { GitError } from '../git/runner';

/** "Frankfurt (mirror-fra.example.com)": the name people know, and the host it really is. */
export function serverNameOf(source: Pick<CloneSource, 'name' | 'url'>): string {
  const checked = checkCloneUrl(source.url);
  return checked.ok ? `${source.name} (${checked.hostname})` : source.name;
}

export function describeSourceFailure(error: unknown, context: { source: CloneSource; primaryHost: string; anonymous: boolean }): string {
  const message = error instanceof GitError || error instanceof ContractError || error instanceof Error ? error.message : String(error);
  if (!context.anonymous || !(error instanceof GitError) || error.kind !== 'auth-failed') return message;
  const host = checkCloneUrl(context.source.url);
  const mirrorHost = host.ok ? host.host : context.source.name;
  return (
    `${message} ${context.source.name} was asked without your token for ${context.primaryHost}: it is a mirror added by hand, and the primary does not vouch for it. ` +
    `If you trust ${mirrorHost}, allow it: in Settings, "Send token" next to the mirror, or mirror-clone mirrors allow "${context.source.name}" --send-token-to ${mirrorHost}.`
  );
}
