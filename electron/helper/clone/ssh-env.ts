/**
 * SSH for git: the user's own agent and keys and known_hosts, never a prompt (BatchMode) and
 * never a silent trust of an unknown host key (StrictHostKeyChecking=yes). A host key becomes
 * known only when the user confirms its fingerprint (see host-keys.ts).
 */
export function sshEnvironment(existing: string | undefined = process.env.GIT_SSH_COMMAND): Record<string, string> {
  const base = existing?.trim() || 'ssh';
  return { GIT_SSH_COMMAND: `${base} -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=15` };
}
