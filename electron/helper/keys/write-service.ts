/** `keys.generate` and `keys.upload`: making a good key and putting it on the primary. */
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import { createBitbucketClient, normaliseBaseUrl } from '../bitbucket/rest-client';
import type { KeysServiceDeps } from './service';
import { generateKey, recommendedKeyType } from './generate';
import { listKeys } from './inventory';
import { uploadKey } from './upload';
import { addToAgent } from './agent-add';

/** Sizes worth making: RSA below 3072 is weak today, ECDSA has its three curves. */
const allowedBits: Partial<Record<'ed25519' | 'ecdsa' | 'rsa', number[]>> = { rsa: [3072, 4096], ecdsa: [256, 384, 521] };

export function createKeyWritesService(deps: KeysServiceDeps): Pick<Handlers, 'keys.generate' | 'keys.upload'> {
  return {
    'keys.generate': async ({ type, bits, comment, passphrase, rememberPassphrase, addToAgent: load }, { signal }) => {
      if (load && !deps.agentSocket()) {
        // Said before a key is made, so the user is not left with a key they did not get loaded.
        throw new ContractError('NOT_FOUND', 'No ssh-agent is running for this session.', { hint: 'Start one (eval "$(ssh-agent)"), or generate without loading it into the agent.' });
      }
      const chosen = type ?? recommendedKeyType(deps.store.list(), (await listKeys({ folder: deps.sshFolder, agentSocket: deps.agentSocket() })).keys);
      if (bits !== undefined && !(allowedBits[chosen] ?? []).includes(bits)) {
        throw new ContractError('INVALID_PARAMS', `A${chosen === 'ed25519' ? 'n Ed25519' : chosen === 'rsa' ? 'n RSA' : 'n ECDSA'} key cannot have ${bits} bits.`, {
          hint: chosen === 'ed25519' ? 'Ed25519 keys have one size: leave the size out.' : `Choose ${allowedBits[chosen]!.slice(0, -1).join(', ')} or ${allowedBits[chosen]!.at(-1)} bits.`,
        });
      }
      const made = await generateKey({ folder: deps.sshFolder, type: chosen, bits, comment, passphrase, signal });
      const remember = Boolean(rememberPassphrase && passphrase && deps.secrets);
      if (remember) await deps.secrets!.set(`ssh-key:${made.key.fingerprint}`, passphrase!);
      if (load) await addToAgent({ privateKeyPath: made.privateKeyPath, agentSocket: deps.agentSocket(), passphrase, signal });
      return {
        inAgent: Boolean(load),
        passphraseRemembered: remember,
        privateKeyPath: made.privateKeyPath,
        publicKeyPath: made.publicKeyPath,
        type: made.key.type,
        bits: made.key.bits,
        fingerprint: made.key.fingerprint,
        publicKey: made.key.comment ? `${made.key.text} ${made.key.comment}` : made.key.text,
      };
    },
    'keys.upload': async ({ primary, publicKey, label }, { signal }) => {
      const stored = deps.primaries.list();
      const baseUrl = primary ? normaliseBaseUrl(primary) : stored.length === 1 ? stored[0]!.baseUrl : undefined;
      if (!baseUrl) throw new ContractError('INVALID_PARAMS', stored.length === 0 ? 'No primary is connected.' : 'Several primaries are connected.', { hint: 'Name the primary to upload the key to.' });
      const credentials = await deps.credentials.forPrimary(baseUrl, { named: primary !== undefined });
      const client = createBitbucketClient({ ...(await deps.clientOptions()), baseUrl, credentials });
      return { ...(await uploadKey(client, publicKey, { label, signal })), primaryBaseUrl: client.baseUrl };
    },
  };
}
