/**
 * `mirror-clone keys list` and `mirror-clone keys check <repository>`: the user's SSH keys, and
 * which server accepts which of them (a table with servers as rows, keys as columns), with every
 * warning and its fix below it.
 */
import { parseArgs } from 'node:util';
import type { KeyCheck, KeyCheckOutcome, KeyInventory, KeyWarning, SshKey } from '../../../shared/contract';
import { readFile } from 'node:fs/promises';
import { primaryOption, repositoryLabel, UsageError, type Command, type CommandContext } from '../command';
import { readAllStdin } from '../prompt';

const marks: Record<KeyCheckOutcome, string> = {
  accepted: '✓',
  refused: '✗',
  'host-key-unknown': '? host key',
  'host-key-changed': '! host key',
  unreachable: '- unreachable',
  'key-unusable': '✗ key unusable',
  'not-tried': '·',
};

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length)));
  return rows.map((row) => row.map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length)).join('  ').trimEnd()).join('\n');
}

function describeKey(key: SshKey): string {
  if (key.problem) return 'not a usable key';
  if (!key.type) return key.passphrase === 'protected' ? 'hidden by its passphrase' : 'unknown';
  return `${key.type} ${key.bits ?? '?'}`;
}

function renderWarnings(warnings: KeyWarning[]): string {
  if (warnings.length === 0) return 'No warnings.\n';
  return `Warnings:\n${warnings.map((warning) => `  ! ${warning.message}\n    fix: ${warning.fix}\n`).join('')}`;
}

function renderInventory(inventory: KeyInventory): string {
  const lines = [`Keys in ${inventory.folder}${inventory.agent.running ? ' and in the ssh-agent' : ` (no ssh-agent: ${(inventory.agent.detail ?? 'none running').replace(/\.$/, '')})`}:`, ''];
  if (inventory.keys.length === 0) return `${lines[0]} none.\n`;
  const rows = [['name', 'type', 'fingerprint', 'comment', 'passphrase', 'agent', 'mode']];
  for (const key of inventory.keys) {
    rows.push([key.name, describeKey(key), key.fingerprint ?? '-', key.comment ?? '', key.passphrase, key.inAgent ? 'yes' : 'no', key.mode ?? '-']);
  }
  lines.push(table(rows), '');
  return `${lines.join('\n')}\n${renderWarnings(inventory.keys.flatMap((key) => key.warnings))}`;
}

function renderCheck(check: KeyCheck): string {
  const keys = check.inventory.keys;
  const header = ['server', 'address', 'time', ...keys.map((key) => key.name)];
  const rows = [header];
  for (const server of check.servers) {
    const cells = keys.map((key) => marks[server.results.find((result) => result.key === key.id)?.outcome ?? 'not-tried']);
    rows.push([server.name, `${server.user}@${server.host}:${server.port}`, `${server.durationMs} ms`, ...cells]);
  }
  const uploaded = ['on the primary', '', '', ...keys.map((key) => ({ true: 'uploaded', false: 'not uploaded', null: '?' })[String(check.uploaded[key.id] ?? null) as 'true' | 'false' | 'null'])];
  rows.push(uploaded);
  return [
    `SSH keys against ${check.repository ?? check.primaryBaseUrl} (${check.durationMs} ms):`,
    '',
    table(rows),
    '',
    `✓ accepted  ✗ refused  · not tried (no usable private key here)  host keys from ${check.knownHostsFile}`,
    '',
    renderWarnings(check.warnings),
  ].join('\n');
}

async function list(args: string[], context: CommandContext): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length > 0) throw new UsageError('keys list takes no arguments.');
  const client = await context.client();
  const inventory = await client.call('keys.list', {}, { signal: context.signal });
  context.stdout.write(context.json ? `${JSON.stringify(inventory)}\n` : renderInventory(inventory));
  return 0;
}

async function check(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { primary: { type: 'string' } } });
  if (positionals.length > 1) throw new UsageError('keys check takes at most one repository.');
  const primary = primaryOption(values.primary);
  if (positionals.length === 0 && !primary) throw new UsageError('Name a repository (its mirrors are checked too), or a primary with --primary.');
  if (positionals[0] !== undefined) repositoryLabel(positionals[0]);
  const client = await context.client();
  const result = await client.call('keys.check', { repository: positionals[0], primary }, { signal: context.signal });
  context.stdout.write(context.json ? `${JSON.stringify(result)}\n` : renderCheck(result));
  // Success means every server lets at least one key in: an SSH clone from any of them would work.
  return result.servers.every((server) => server.results.some((entry) => entry.outcome === 'accepted')) ? 0 : 1;
}

async function generate(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { type: { type: 'string' }, bits: { type: 'string' }, comment: { type: 'string' }, 'passphrase-stdin': { type: 'boolean' } } });
  if (positionals.length > 0) throw new UsageError('keys generate takes no arguments.');
  const type = values.type;
  if (type !== undefined && type !== 'ed25519' && type !== 'ecdsa' && type !== 'rsa') throw new UsageError('--type must be ed25519, ecdsa or rsa.');
  const bits = values.bits === undefined ? undefined : Number(values.bits);
  if (bits !== undefined && bits !== 256 && bits !== 384 && bits !== 521 && bits !== 3072 && bits !== 4096) throw new UsageError('--bits must be 4096 or 3072 (rsa), 521, 384 or 256 (ecdsa).');
  // From stdin, never an option: arguments are visible to every user on the machine.
  const passphrase = values['passphrase-stdin'] ? await readAllStdin() : undefined;
  const client = await context.client();
  const made = await client.call('keys.generate', { type, bits, comment: values.comment, passphrase }, { signal: context.signal });
  context.stdout.write(
    context.json
      ? `${JSON.stringify(made)}\n`
      : `Made a ${made.type} key (${made.bits} bits): ${made.privateKeyPath}\n  ${made.fingerprint}\n  Upload it with: mirror-clone keys upload ${made.publicKeyPath}\n`,
  );
  return 0;
}

async function upload(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { primary: { type: 'string' }, label: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('keys upload takes one public key file (.pub).');
  const file = positionals[0]!;
  if (!file.endsWith('.pub')) throw new UsageError('Upload the public half: the file ending in .pub, never the private key.');
  const publicKey = await readFile(file, 'utf8').catch(() => {
    throw new UsageError(`${file} cannot be read.`);
  });
  const client = await context.client();
  const result = await client.call('keys.upload', { primary: values.primary, publicKey, label: values.label }, { signal: context.signal });
  context.stdout.write(context.json ? `${JSON.stringify(result)}\n` : `Uploaded ${result.fingerprint} to ${result.primaryBaseUrl}.\n`);
  return 0;
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'Your SSH keys: list, check which server accepts which, generate, upload',
  usage: [
    'mirror-clone keys list [--json]',
    '       mirror-clone keys check <repository> [--primary <url>] [--json]',
    '       mirror-clone keys check --primary <url> [--json]',
    '       mirror-clone keys generate [--type ed25519|ecdsa|rsa] [--bits N] [--comment TEXT] [--passphrase-stdin] [--json]',
    '       mirror-clone keys upload <file.pub> [--primary <url>] [--label TEXT] [--json]',
    '',
    'list: the keys in ~/.ssh and in the ssh-agent (SSH_AUTH_SOCK): type, size, fingerprint, passphrase, and what is wrong with them.',
    'check: tries each key on the SSH port of the primary and of every mirror holding the repository, with a real',
    'login that runs nothing; unknown host keys are never accepted. Exits 1 when some server accepts none of your keys.',
    'generate: a new key in ~/.ssh (never over an existing file); without --type, one every checked server accepts.',
    '  --passphrase-stdin reads a passphrase (one line) from stdin and encrypts the key with it.',
    'upload: puts a public key on your Bitbucket account (the primary).',
  ].join('\n'),
  async run(args, context) {
    const [action, ...rest] = args;
    if (action === 'list') return list(rest, context);
    if (action === 'check') return check(rest, context);
    if (action === 'generate') return generate(rest, context);
    if (action === 'upload') return upload(rest, context);
    throw new UsageError('Use `keys list`, `keys check <repository>`, `keys generate` or `keys upload <file.pub>`.');
  },
};
