/**
 * Whether cloning over SSH can work for the server about to be used, from what the SSH keys
 * domain knows: the key inventory and, when one was run for this repository, the real login
 * check. Said before the clone starts, so SSH is offered only with a reason when it cannot work.
 */
import type { KeyCheck, KeyInventory } from './keys-slice';

export interface SshReadiness {
  available: boolean;
  /** Why SSH is not offered, or what was found out; undefined when there is nothing to say. */
  message?: string;
  /** Whether checking the keys against these servers would tell more. */
  canCheck: boolean;
}

const usable = (key: KeyInventory['keys'][number]) => !key.problem && !key.permissionsTooOpen && (key.inAgent || key.privateKeyPath !== undefined);

export function sshReadiness(input: { hasSshUrl: boolean; inventory?: KeyInventory; check?: KeyCheck; server?: { id: string; name: string } }): SshReadiness {
  if (!input.hasSshUrl) return { available: false, message: 'This repository has no SSH clone URL.', canCheck: false };
  const keys = input.inventory?.keys.filter(usable);
  if (keys && keys.length === 0) {
    return { available: false, message: `No usable SSH key in ${input.inventory!.folder} or the agent: generate one under SSH keys.`, canCheck: false };
  }
  if (!input.check || !input.server) return { available: true, canCheck: input.check === undefined };
  const server = input.check.servers.find((item) => item.id === input.server!.id) ?? input.check.servers.find((item) => item.name === input.server!.name);
  if (!server) return { available: true, canCheck: true };
  const accepted = server.results.filter((result) => result.outcome === 'accepted');
  if (accepted.length === 0) {
    const warning = input.check.warnings.find((item) => item.server === server.name);
    return { available: false, message: `${server.name} accepts none of your SSH keys.${warning ? ` ${warning.fix}` : ' See SSH keys.'}`, canCheck: true };
  }
  const name = input.check.inventory.keys.find((key) => key.id === accepted[0]!.key)?.name ?? 'a key';
  return { available: true, message: `${server.name} accepts ${name}.`, canCheck: false };
}
