/**
 * SSH for git: the user's own agent and keys and known_hosts, never a prompt (BatchMode) and
 * never a silent trust of an unknown host key (StrictHostKeyChecking=yes). A host key becomes
 * known only when the user confirms its fingerprint (see host-keys.ts).
 */
export function sshEnvironment(knownHostsFile?: string, existing: string | undefined = process.env.GIT_SSH_COMMAND): Record<string, string> {
  const base = existing?.trim() || 'ssh';
  // The file host keys are trusted into is the one ssh checks, even where ssh's idea of home
  // differs from $HOME. ssh keeps the first value of an option, so a user's own
  // UserKnownHostsFile in GIT_SSH_COMMAND still wins.
  const knownHosts = knownHostsFile ? ` -o UserKnownHostsFile='${knownHostsFile.replaceAll("'", "'\\''")}'` : '';
  return { GIT_SSH_COMMAND: `${base} -o BatchMode=yes -o StrictHostKeyChecking=yes -o ConnectTimeout=15${knownHosts}` };
}
