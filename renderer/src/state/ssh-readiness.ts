/**
 * Whether cloning over SSH can work for the server about to be used, from what the SSH keys
 * domain knows: the key inventory, whether the servers' host keys are trusted and, when one was
 * run for this repository, the real login check. Said before the clone starts, so SSH is offered
 * only when it can work, and otherwise with the reason and what to do.
 */
import type { HostKeyStatus, KeyCheck, KeyInventory } from './keys-slice';

export interface SshReadiness {
  available: boolean;
  /** Why SSH is not offered, or what was found out; undefined when there is nothing to say. */
  message?: string;
  /** Whether checking the keys against these servers would tell more. */
  canCheck: boolean;
  /** Servers whose host key is not trusted yet: review and trust them to use SSH. */
  unknownHosts?: HostKeyStatus[];
}

const usable = (key: KeyInventory['keys'][number]) => !key.problem && !key.permissionsTooOpen && (key.inAgent || key.privateKeyPath !== undefined);
const hostName = (host: { host: string; port: number }) => (host.port === 22 ? host.host : `${host.host}:${host.port}`);

export function sshReadiness(input: {
  hasSshUrl: boolean;
  inventory?: KeyInventory;
  check?: KeyCheck;
  server?: { id: string; name: string };
  /** The host keys a clone over SSH would meet (the source, the primary for pushes); pending: still being looked up. */
  hostKeys?: { pending: boolean; hosts: HostKeyStatus[] };
}): SshReadiness {
  if (!input.hasSshUrl) return { available: false, message: 'This repository has no SSH clone URL.', canCheck: false };
  const keys = input.inventory?.keys.filter(usable);
  if (keys && keys.length === 0) {
    return { available: false, message: `No usable SSH key in ${input.inventory!.folder} or the agent: generate one under SSH keys.`, canCheck: false };
  }
  const unknownHosts = input.hostKeys?.hosts.filter((host) => !host.known) ?? [];
  if (unknownHosts.length > 0) {
    const names = unknownHosts.map(hostName).join(' and ');
    const one = unknownHosts.length === 1;
    return {
      available: false,
      message: one
        ? `The SSH host key of ${names} is not trusted on this computer yet, so a clone over SSH would stop before it starts. Review its fingerprint and trust it to use SSH.`
        : `The SSH host keys of ${names} are not trusted on this computer yet, so a clone over SSH would stop before it starts. Review their fingerprints and trust them to use SSH.`,
      canCheck: false,
      unknownHosts,
    };
  }
  if (input.hostKeys?.pending) return { available: false, message: 'Checking that the SSH host keys of these servers are trusted…', canCheck: false };
  if (!input.check || !input.server) return { available: true, canCheck: input.check === undefined };
  const server = input.check.servers.find((item) => item.id === input.server!.id) ?? input.check.servers.find((item) => item.name === input.server!.name);
  // A check from before its host key was trusted tried no key there: it says nothing yet.
  if (!server || server.unknownHostKeys) return { available: true, canCheck: true };
  const accepted = server.results.filter((result) => result.outcome === 'accepted');
  if (accepted.length === 0) {
    const warning = input.check.warnings.find((item) => item.server === server.name);
    return { available: false, message: `${server.name} accepts none of your SSH keys.${warning ? ` ${warning.fix}` : ' See SSH keys.'}`, canCheck: true };
  }
  const name = input.check.inventory.keys.find((key) => key.id === accepted[0]!.key)?.name ?? 'a key';
  return { available: true, message: `${server.name} accepts ${name}.`, canCheck: false };
}
