/**
 * Secrets (access tokens, passwords, key passphrases) live only in the OS keychain, through
 * keytar: never in settings files, logs or error messages. keytar is loaded on first use so a
 * machine without a keychain (a CI runner using MIRROR_CLONE_TOKEN) never needs one.
 */
import { ContractError } from '../../../shared/contract';

export interface SecretStore {
  get(account: string): Promise<string | undefined>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

const keychainHint =
  'The OS keychain is not available. On Linux it needs a Secret Service (GNOME Keyring or KWallet) in your session; on a CI machine set MIRROR_CLONE_TOKEN instead.';

export function createKeychainSecretStore(service = 'mirror-clone'): SecretStore {
  let keytar: Promise<Keytar> | undefined;
  const load = () => {
    keytar ??= import('keytar').then((module) => (module.default ?? module) as Keytar);
    return keytar;
  };
  const guard = async <T>(action: (api: Keytar) => Promise<T>): Promise<T> => {
    let api: Keytar;
    try {
      api = await load();
    } catch (error) {
      throw new ContractError('INTERNAL', 'The keychain library could not be loaded.', { hint: keychainHint, cause: error });
    }
    try {
      return await action(api);
    } catch (error) {
      // libsecret's messages can be long and technical; keep the first line, never any secret.
      const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
      throw new ContractError('INTERNAL', `The OS keychain refused the request: ${first}`, { hint: keychainHint, cause: error });
    }
  };
  return {
    get: (account) => guard(async (api) => (await api.getPassword(service, account)) ?? undefined),
    set: (account, secret) => guard((api) => api.setPassword(service, account, secret)),
    delete: (account) => guard((api) => api.deletePassword(service, account)),
  };
}
