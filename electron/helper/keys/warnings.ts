/**
 * Warnings about a key on its own (no server needed), each with the fix in plain words.
 * What a particular server accepts is learnt by trying (check.ts), not from this file.
 */
import type { KeyWarning, SshKey } from '../../../shared/contract/domains/keys';

const generate = 'Generate a new key with `ssh-keygen -t ed25519` (or `-t ecdsa` if a server refuses Ed25519) and upload its .pub to Bitbucket (Manage account → SSH keys)';

export function keyWarnings(key: Omit<SshKey, 'warnings'>, context: { agentRunning: boolean }): KeyWarning[] {
  const warnings: KeyWarning[] = [];
  const add = (code: KeyWarning['code'], message: string, fix: string) => warnings.push({ code, message, fix, key: key.id });
  const label = key.privateKeyPath ?? key.publicKeyPath ?? key.name;

  if (key.problem) add('malformed', key.problem, 'Replace or remove the file; ssh cannot use it as a key.');
  if (key.type === 'DSA') add('dsa', `${label} is a DSA key: OpenSSH has stopped offering DSA keys and servers refuse them.`, `${generate}.`);
  if (key.type === 'RSA' && key.bits !== undefined && key.bits < 2048) {
    add('rsa-short', `${label} is a ${key.bits}-bit RSA key: under 2048 bits is weak, and servers may refuse it.`, `${generate}.`);
  }
  if (key.privateKeyPath && key.permissionsTooOpen && !key.problem) {
    add('permissions', `${key.privateKeyPath} can be read by other users (mode ${key.mode}), so ssh refuses to use it.`, `Run \`chmod 600 ${key.privateKeyPath}\`.`);
  }
  if (key.privateKeyPath && !key.problem && !key.inAgent) {
    if (context.agentRunning) {
      add('not-in-agent', `${label} is not loaded in your ssh-agent.`, `Run \`ssh-add ${key.privateKeyPath}\` so git can use it without asking${key.passphrase === 'protected' ? ' for its passphrase' : ''}.`);
    } else if (key.passphrase === 'protected') {
      add('not-in-agent', `${label} has a passphrase and no ssh-agent is running, so git must ask for it on every fetch (and scripts cannot).`, `Start an agent (\`eval "$(ssh-agent)"\`) and run \`ssh-add ${key.privateKeyPath}\`.`);
    }
  }
  if (!key.privateKeyPath && !key.inAgent && key.publicKeyPath && !key.problem) {
    add('no-private-key', `${key.publicKeyPath} has no private key next to it and is not in the agent, so it cannot be used from here.`, 'Copy the private key here, or remove the .pub if the key is no longer in use.');
  }
  return warnings;
}
