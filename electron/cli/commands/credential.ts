/**
 * `mirror-clone credential get`: the git credential helper that clones are configured with.
 * It reads the keychain directly (not through the contract, so no UI connection can ask the
 * helper for a secret) and answers only for origins a connected primary vouches for, and for this
 * installation's local mirror server while it runs (http://127.0.0.1:PORT).
 */
import type { Command } from '../command';
import { readAllStdin } from '../prompt';
import { createPrimariesStore } from '../../helper/store/primaries-store';
import { createKeychainSecretStore } from '../../helper/store/secret-store';
import { createCredentialSource } from '../../helper/primaries/credentials';
import { credentialForGit, formatCredential, parseCredentialRequest } from '../../helper/primaries/git-credentials';
import { resolveDataDir } from '../../helper/home';
import { localMirrorCredential } from '../../helper/cache/serve-access';

export const credentialCommand: Command = {
  name: 'credential',
  summary: 'Git credential helper for clones made by mirror-clone (used by git, not by people)',
  usage: 'mirror-clone credential get|store|erase   (git credential-helper protocol on stdin/stdout)',
  async run(args, context) {
    const [action] = args;
    const input = await readAllStdin();
    // git also sends `store` and `erase`; the keychain entry is managed by login/logout only.
    if (action !== 'get') return 0;
    try {
      const request = parseCredentialRequest(input);
      const dataDir = resolveDataDir();
      const secrets = createKeychainSecretStore();
      const credential =
        (await localMirrorCredential(request, { dataDir, secrets })) ??
        (await credentialForGit(request, { primaries: createPrimariesStore(dataDir), credentials: createCredentialSource({ secrets }) }));
      if (credential) context.stdout.write(formatCredential(credential));
    } catch (error) {
      // git shows helper stderr to the user; say what is wrong without any secret.
      context.stderr.write(`mirror-clone credential: ${error instanceof Error ? error.message : String(error)}\n`);
    }
    return 0;
  },
};
