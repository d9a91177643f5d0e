import { parseArgs } from 'node:util';
import type { LocalMirror } from '../../../shared/contract';
import { primaryOption, repositoryLabel, UsageError, type Command } from '../command';
import { formatBytes } from '../render/progress-bar';

function describe(mirror: LocalMirror): string {
  const size = mirror.sizeBytes === undefined ? '' : `  ${formatBytes(mirror.sizeBytes)}`;
  const synced = mirror.lastSyncAt ? `  synced ${mirror.lastSyncAt}` : '';
  const error = mirror.lastError ? `\n    last error: ${mirror.lastError}` : '';
  return `${mirror.id}  ${mirror.projectKey}/${mirror.slug}  ${mirror.state}  from ${mirror.source.name}${size}${synced}${error}\n`;
}

export const cacheCommand: Command = {
  name: 'cache',
  summary: 'Local mirrors on this machine: later clones of those repositories come mostly from disk',
  usage: [
    'mirror-clone cache add <repository> [--primary <url>] [--json]',
    '       mirror-clone cache list [--json]',
    '       mirror-clone cache sync [<id>] [--json]',
    '       mirror-clone cache remove <id> [--json]',
    '       mirror-clone cache serve [--port N]     (read-only smart HTTP on 127.0.0.1 until Ctrl-C)',
  ].join('\n'),
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { primary: { type: 'string' }, port: { type: 'string' } } });
    const [action, argument, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError('Too many arguments.');
    const client = await context.client();
    const print = (value: unknown, text: string) => context.stdout.write(context.json ? `${JSON.stringify(value)}\n` : text);
    switch (action) {
      case 'add': {
        if (!argument) throw new UsageError('cache add needs a repository.');
        repositoryLabel(argument);
        const mirror = await client.call('cache.add', { repository: argument, primary: primaryOption(values.primary) }, { signal: context.signal });
        print(mirror, `Local mirror ready: ${describe(mirror)}`);
        return 0;
      }
      case 'list': {
        const mirrors = await client.call('cache.list', {}, { signal: context.signal });
        print(mirrors, mirrors.length === 0 ? 'No local mirrors. Add one with: mirror-clone cache add <repository>\n' : mirrors.map(describe).join(''));
        return 0;
      }
      case 'sync': {
        const mirrors = await client.call('cache.sync', { id: argument }, { signal: context.signal });
        print(mirrors, mirrors.map(describe).join(''));
        return mirrors.some((mirror) => mirror.state === 'failed') ? 1 : 0;
      }
      case 'remove': {
        if (!argument) throw new UsageError('cache remove needs the id shown by cache list.');
        const result = await client.call('cache.remove', { id: argument }, { signal: context.signal });
        print(result, result.removed ? `Removed ${argument}.\n` : `No local mirror ${argument}.\n`);
        return result.removed ? 0 : 1;
      }
      case 'serve': {
        const port = values.port === undefined ? undefined : Number(values.port);
        if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError('--port must be a port number.');
        const served = await client.call('cache.serve', { port }, { signal: context.signal });
        print(served, `Serving ${served.mirrors.length} local mirror(s) read-only on 127.0.0.1:${served.port} (Ctrl-C stops):\n${served.mirrors.map((mirror) => `  ${mirror.url}\n`).join('')}`);
        await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
        return 0;
      }
      default:
        throw new UsageError('Use cache add, list, sync, remove or serve.');
    }
  },
};
