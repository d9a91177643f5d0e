/**
 * The key type a new key defaults to: one every checked server accepts. Ed25519, unless the last
 * check saw a server refuse an Ed25519 key while it accepted another type, or while another server
 * accepted that same key (some Bitbucket mirrors refuse the type); then a type every checked server accepted (ECDSA), else RSA, which every Bitbucket takes.
 * Types the administrators do not allow are skipped. The reason is said next to the choice.
 */
import type { KeyCheck } from './keys-slice';

export const keyTypeChoices = [
  { id: 'ed25519', label: 'Ed25519', type: 'ED25519', params: { type: 'ed25519' } },
  { id: 'ecdsa', label: 'ECDSA', type: 'ECDSA', params: { type: 'ecdsa' } },
  { id: 'rsa-3072', label: 'RSA 3072', type: 'RSA', params: { type: 'rsa', bits: 3072 } },
  { id: 'rsa-4096', label: 'RSA 4096', type: 'RSA', params: { type: 'rsa', bits: 4096 } },
] as const;

export type KeyTypeChoice = (typeof keyTypeChoices)[number]['id'];

const names = (list: string[]) => (list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`);

export function recommendedKeyType(check: KeyCheck | undefined): { choice: KeyTypeChoice; reason: string } {
  const servers = check?.servers ?? [];
  if (!check || servers.length === 0) {
    return { choice: 'ed25519', reason: 'Ed25519 is short, strong and accepted by current Bitbucket servers. A check below shows what yours accept.' };
  }
  const typeOf = new Map(check.inventory.keys.map((key) => [key.id, key.type]));
  const allowed = (type: string) => check.restrictions?.find((rule) => rule.type === type)?.allowed !== false;
  const acceptedEverywhere = (type: string) => servers.every((server) => server.results.some((result) => result.outcome === 'accepted' && typeOf.get(result.key) === type));
  // Mirrors take their keys from the primary: an Ed25519 key another server accepted, refused
  // here, is refused for its type, as is one refused where a key of another type got in.
  const acceptedSomewhere = new Set(servers.flatMap((server) => server.results.filter((result) => result.outcome === 'accepted').map((result) => result.key)));
  const refusing = servers
    .filter((server) =>
      server.results.some(
        (result) => result.outcome === 'refused' && typeOf.get(result.key) === 'ED25519' && (acceptedSomewhere.has(result.key) || server.results.some((other) => other.outcome === 'accepted' && typeOf.get(other.key) !== 'ED25519')),
      ),
    )
    .map((server) => server.name);

  if (refusing.length === 0 && allowed('ED25519')) {
    return { choice: 'ed25519', reason: acceptedEverywhere('ED25519') ? 'Ed25519: every checked server accepted an Ed25519 key.' : 'Ed25519: no checked server refused one.' };
  }
  const why = refusing.length > 0 ? `${names(refusing)} refused an Ed25519 key in the last check` : 'Your Bitbucket administrators do not allow Ed25519 keys';
  if (allowed('ECDSA') && acceptedEverywhere('ECDSA')) return { choice: 'ecdsa', reason: `${why}; ECDSA was accepted by every checked server.` };
  if (allowed('RSA')) return { choice: 'rsa-4096', reason: `${why}, so RSA is chosen: every Bitbucket server accepts RSA keys.` };
  return { choice: 'ecdsa', reason: `${why}, so ECDSA is chosen.` };
}
