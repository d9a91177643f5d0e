/**
 * Serves the local mirrors read-only over git's smart HTTP on 127.0.0.1, for other clones and
 * tools on this machine: `http://127.0.0.1:PORT/<project>/<slug>.git` (or `/<id>.git`). Pushes
 * are refused with a message naming the primary; nothing else than the mirrors can be reached.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { LocalMirror } from '../../../shared/contract';
import { runGitHttpBackend } from '../net/git-http-backend';
import type { LocalMirrorsStore } from '../store/local-mirrors-store';

export interface MirrorServer {
  readonly port: number;
  urlFor(mirror: LocalMirror): string;
  stop(): Promise<void>;
}

/** `/proj/slug.git/rest` or `/id.git/rest` → the mirror and the rest of the path. */
function route(pathname: string, mirrors: LocalMirror[]): { mirror: LocalMirror; rest: string } | undefined {
  const byId = /^\/([0-9a-f]{16})\.git(\/.*)?$/.exec(pathname);
  if (byId) {
    const mirror = mirrors.find((candidate) => candidate.id === byId[1]);
    return mirror ? { mirror, rest: byId[2] ?? '' } : undefined;
  }
  const byName = /^\/([^/]+)\/([^/]+)\.git(\/.*)?$/.exec(pathname);
  if (!byName) return undefined;
  const [, key, slug, rest] = byName;
  const matches = mirrors.filter((candidate) => candidate.projectKey.toLowerCase() === decodeURIComponent(key!).toLowerCase() && candidate.slug === decodeURIComponent(slug!).toLowerCase());
  // Two primaries with the same project and slug: only the /<id>.git form is unambiguous.
  return matches.length === 1 ? { mirror: matches[0]!, rest: rest ?? '' } : undefined;
}

export async function serveLocalMirrors(options: { store: LocalMirrorsStore; dataDir: string; port?: number }): Promise<MirrorServer> {
  const children = new Set<ChildProcess>();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const found = route(url.pathname, options.store.list().filter((mirror) => mirror.state !== 'syncing' || mirror.lastSyncAt));
    if (!found) {
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('No such local mirror.\n');
      return;
    }
    if (url.searchParams.get('service') === 'git-receive-pack' || found.rest === '/git-receive-pack') {
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`This is a read-only local mirror. Push to ${found.mirror.primaryBaseUrl} instead.\n`);
      return;
    }
    void runGitHttpBackend(request, response, url, {
      projectRoot: path.join(options.dataDir, 'mirrors'),
      pathInfo: `/${found.mirror.id}.git${found.rest}`,
      receivePack: false,
      track: (child) => {
        children.add(child);
        child.once('exit', () => children.delete(child));
      },
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    urlFor: (mirror) => `http://127.0.0.1:${port}/${mirror.projectKey.toLowerCase()}/${mirror.slug}.git`,
    async stop() {
      for (const child of children) child.kill('SIGTERM');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
