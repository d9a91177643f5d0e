import { parseArgs } from 'node:util';
import type { LocalMirror } from '../../../shared/contract';
import { primaryOption, repositoryLabel, UsageError, type Command } from '../command';
import { formatBytes } from '../render/progress-bar';
import { serveCredentialConfig } from '../../helper/cache/serve-access';
import { shellQuote } from '../../helper/transfer/credential-helper-command';

function describe(mirror: LocalMirror): string {
  const size = mirror.sizeBytes === undefined ? '' : `  ${formatBytes(mirror.sizeBytes)}`;
  const synced = mirror.lastSyncAt ? `  synced ${mirror.lastSyncAt}` : '';
  const error = mirror.lastError ? `\n    last error: ${mirror.lastError}` : '';
  return `${mirror.id}  ${mirror.projectKey}/${mirror.slug}  ${mirror.state}  from ${mirror.source.name}${size}${synced}${error}\n`;
}

/** The addresses, and exactly how git authenticates to them (the server refuses anonymous clients). */
function describeServing(served: { port: number; mirrors: Array<{ url: string }>; credentialHelper: string }): string {
  const origin = `http://127.0.0.1:${served.port}`;
  const config = serveCredentialConfig(served.port, served.credentialHelper);
  const example = served.mirrors[0]?.url ?? `${origin}/<project>/<repository>.git`;
  return [
    `Serving ${served.mirrors.length} local mirror(s) read-only on 127.0.0.1:${served.port} (Ctrl-C stops):`,
    ...served.mirrors.map((mirror) => `  ${mirror.url}`),
    '',
    `Only git clients that authenticate are served: mirror-clone's credential helper answers for ${origin} while this server runs.`,
    'Clone with:',
    `  git ${config.map(([key, value]) => `-c ${shellQuote(`${key}=${value}`)}`).join(' ')} clone ${example}`,
    'or add the helper to your git config once (later fetches need it too; --port keeps the address):',
    ...config.map(([key, value]) => `  git config --global --add ${shellQuote(key)} ${shellQuote(value)}`),
    '',
  ].join('\n');
}

/** `local-mirrors` (formerly `cache`, still accepted): the same word the app uses for these copies. */
export const localMirrorsCommand: Command = {
  name: 'local-mirrors',
  aliases: ['cache'],
  summary: 'Local mirrors on this machine: later clones of those repositories come mostly from disk',
  usage: [
    'mirror-clone local-mirrors add <repository> [--primary <url>] [--json]',
    '       mirror-clone local-mirrors list [--json]',
    '       mirror-clone local-mirrors sync [<id>] [--json]',
    '       mirror-clone local-mirrors remove <id> [--json]',
    '       mirror-clone local-mirrors serve [--port N]     (read-only smart HTTP on 127.0.0.1, for git clients that authenticate, until Ctrl-C)',
  ].join('\n'),
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { primary: { type: 'string' }, port: { type: 'string' } } });
    const [action, argument, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError('Too many arguments.');
    const client = await context.client();
    const print = (value: unknown, text: string) => context.stdout.write(context.json ? `${JSON.stringify(value)}\n` : text);
    switch (action) {
      case 'add': {
        if (!argument) throw new UsageError('local-mirrors add needs a repository.');
        repositoryLabel(argument);
        const mirror = await client.call('cache.add', { repository: argument, primary: primaryOption(values.primary) }, { signal: context.signal });
        print(mirror, `Local mirror ready: ${describe(mirror)}`);
        return 0;
      }
      case 'list': {
        const mirrors = await client.call('cache.list', {}, { signal: context.signal });
        print(mirrors, mirrors.length === 0 ? 'No local mirrors. Add one with: mirror-clone local-mirrors add <repository>\n' : mirrors.map(describe).join(''));
        return 0;
      }
      case 'sync': {
        const mirrors = await client.call('cache.sync', { id: argument }, { signal: context.signal });
        print(mirrors, mirrors.map(describe).join(''));
        return mirrors.some((mirror) => mirror.state === 'failed') ? 1 : 0;
      }
      case 'remove': {
        if (!argument) throw new UsageError('local-mirrors remove needs the id shown by local-mirrors list.');
        const result = await client.call('cache.remove', { id: argument }, { signal: context.signal });
        print(result, result.removed ? `Removed ${argument}.\n` : `No local mirror ${argument}.\n`);
        return result.removed ? 0 : 1;
      }
      case 'serve': {
        const port = values.port === undefined ? undefined : Number(values.port);
        if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port must be a port number.');
        const served = await client.call('cache.serve', { port }, { signal: context.signal });
        print(served, describeServing(served));
        await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
        return 0;
      }
      default:
        throw new UsageError('Use local-mirrors add, list, sync, remove or serve.');
    }
  },
};
