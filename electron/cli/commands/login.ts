import { parseArgs } from 'node:util';
import { UsageError, type Command } from '../command';
import { promptHidden, readAllStdin } from '../prompt';

export const loginCommand: Command = {
  name: 'login',
  summary: 'Connect a Bitbucket primary; the token goes into the OS keychain',
  usage: [
    'mirror-clone login <primary-url> [--token-stdin] [--json]',
    '       mirror-clone login <primary-url> --username <name> [--password-stdin] [--json]',
    '',
    'With no --*-stdin option, asks for the HTTP access token (or password) without echoing it.',
  ].join('\n'),
  async run(args, context) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { 'token-stdin': { type: 'boolean' }, username: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    });
    const [baseUrl, ...extra] = positionals;
    if (!baseUrl || extra.length > 0) throw new UsageError('login takes exactly one primary URL.');

    const interactive = Boolean((process.stdin as { isTTY?: boolean }).isTTY);
    const fromStdin = values['token-stdin'] || values['password-stdin'];
    if (!fromStdin && !interactive) throw new UsageError('No terminal to ask for the secret: pass it on stdin with --token-stdin (or --password-stdin).');
    const secret = fromStdin
      ? await readAllStdin()
      : await promptHidden(values.username ? `Password or token for ${values.username}: ` : `HTTP access token for ${baseUrl}: `);
    if (!secret) throw new UsageError('The token (or password) is empty.');

    const client = await context.client();
    const credentials = values.username ? { kind: 'password' as const, username: values.username, password: secret } : { kind: 'token' as const, token: secret };
    const primary = await client.call('primaries.add', { baseUrl, credentials }, { signal: context.signal });
    if (context.json) {
      context.stdout.write(`${JSON.stringify(primary)}\n`);
    } else {
      context.stdout.write(`Connected to ${primary.name} (Bitbucket ${primary.version ?? 'unknown version'}) at ${primary.baseUrl}.\n`);
      if (primary.insecure) context.stdout.write('Warning: this primary uses plain http; the token travels unencrypted.\n');
    }
    return 0;
  },
};
