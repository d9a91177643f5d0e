/**
 * What a key check means for the user, as warnings with a fix: a key a server refuses (Ed25519 on
 * a mirror that does not take it: use ECDSA there), a key the primary does not know, a server no
 * key gets into, a server whose host key is not trusted yet. The keys' own warnings come first.
 */
import type { KeyCheckServer, KeyWarning, SshKey } from '../../../shared/contract/domains/keys';
import { knownHostsName } from '../ssh/host-keys';

export interface CheckWarningsInput {
  keys: SshKey[];
  servers: KeyCheckServer[];
  uploaded: Record<string, boolean | null>;
  primaryBaseUrl: string;
  knownHostsFile: string;
}

function keyLabel(key: SshKey): string {
  return key.privateKeyPath ?? key.publicKeyPath ?? key.name;
}

function uploadFix(key: SshKey, primaryBaseUrl: string): string {
  return `Add the public key (${key.publicKeyPath ?? key.publicKey ?? key.name}) to your account at ${primaryBaseUrl}/plugins/servlet/ssh/account/keys (Manage account → SSH keys); mirrors learn it from the primary.`;
}

export async function checkWarnings(input: CheckWarningsInput): Promise<KeyWarning[]> {
  const warnings: KeyWarning[] = input.keys.flatMap((key) => key.warnings);
  const tried = (outcome: string) => outcome === 'accepted' || outcome === 'refused';

  for (const key of input.keys) {
    const outcomes = input.servers.map((server) => ({ server, result: server.results.find((result) => result.key === key.id) }));
    const refusedOn = outcomes.filter(({ result }) => result?.outcome === 'refused').map(({ server }) => server);
    const acceptedSomewhere = outcomes.some(({ result }) => result?.outcome === 'accepted');
    if (input.uploaded[key.id] === false && !acceptedSomewhere) {
      warnings.push({ code: 'not-uploaded', message: `${keyLabel(key)} is not one of your SSH keys on ${input.primaryBaseUrl}.`, fix: uploadFix(key, input.primaryBaseUrl), key: key.id });
      continue;
    }
    for (const server of refusedOn) {
      const edwards = key.type === 'ED25519' || key.type === 'ED25519-SK';
      const fix = edwards
        ? `Generate an ECDSA key (\`ssh-keygen -t ecdsa -b 521\`) and upload it to Bitbucket: ${server.name} does not accept Ed25519 keys, ECDSA works everywhere.`
        : acceptedSomewhere
          ? `Generate an ECDSA key (\`ssh-keygen -t ecdsa -b 521\`) and upload it to Bitbucket, or ask your administrators which key types ${server.name} accepts.`
          : uploadFix(key, input.primaryBaseUrl);
      const where = acceptedSomewhere ? ' (other servers accept it)' : '';
      warnings.push({ code: 'refused-by-server', message: `${server.name} refuses ${keyLabel(key)}${key.type ? ` (${key.type})` : ''}${where}.`, fix, key: key.id, server: server.name });
    }
  }

  for (const server of input.servers) {
    const outcomes = server.results.map((result) => result.outcome);
    if (outcomes.includes('host-key-unknown')) {
      const shown = (server.unknownHostKeys ?? []).map((key) => `${key.keyType} ${key.fingerprint}`).join(', ') || 'no key (it did not answer)';
      warnings.push({
        code: 'host-key-unknown',
        message: `The SSH host key of ${server.name} (${knownHostsName(server.host, server.port)}) is not in ${input.knownHostsFile}, so no key could be tried there. It presents: ${shown}.`,
        fix: 'Confirm that fingerprint with your Bitbucket administrators, then trust it (in the app: Host keys on the SSH keys page; on the command line: `mirror-clone clone ... --protocol ssh --trust-host-key <fingerprint>`) and check again.',
        server: server.name,
      });
    } else if (outcomes.length > 0 && outcomes.every((outcome) => outcome === 'unreachable' || outcome === 'not-tried') && outcomes.includes('unreachable')) {
      const detail = server.results.find((result) => result.outcome === 'unreachable')?.detail;
      warnings.push({
        code: 'server-unreachable',
        message: `${server.name} did not answer on its SSH port (${server.host}:${server.port})${detail ? `: ${detail}` : ''}, so no key could be tried there.`,
        fix: 'Check your network (VPN, firewall) and try again; meanwhile clone from another server, or over HTTPS.',
        server: server.name,
      });
    } else if (outcomes.length > 0 && !outcomes.includes('accepted') && outcomes.some(tried)) {
      warnings.push({ code: 'no-key-accepted', message: `None of your keys can log in to ${server.name} over SSH: cloning from it over SSH would fail.`, fix: `Upload a key it accepts (ECDSA is the safest choice) at ${input.primaryBaseUrl}/plugins/servlet/ssh/account/keys, or clone over HTTPS.`, server: server.name });
    }
  }
  return warnings;
}
