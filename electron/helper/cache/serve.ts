/**
 * Serves the local mirrors read-only over git's smart HTTP on 127.0.0.1, for other clones and
 * tools of this user: `http://127.0.0.1:PORT/<project>/<slug>.git` (or `/<id>.git`). Pushes are
 * refused with a message naming the primary; nothing else than the mirrors can be reached.
 *
 * The mirrors hold private repositories, and loopback is open to every user of the machine and
 * to web pages in the user's browser. So, before anything else, a request must be well formed,
 * addressed to 127.0.0.1:PORT or localhost:PORT (a DNS-rebinding page sends its own host), carry
 * no Origin (git sends none; browsers do), and present this installation's secret (serve-access.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ContractError, type LocalMirror } from '../../../shared/contract';
import { runGitHttpBackend } from '../net/git-http-backend';
import { addressedToUs, guardServer, parseRequestTarget, refuse } from '../net/loopback-server';
import type { LocalMirrorsStore } from '../store/local-mirrors-store';
import type { Logger } from '../logger';
import { createRunningServers, isRunning, presentsSecret } from './serve-access';
import type { SecretPlace } from './serve-secret';
import { isLfsEndpoint, serveLocalMirrorLfs } from '../lfs/local-mirror-serve';

export interface MirrorServer {
  readonly port: number;
  urlFor(mirror: LocalMirror): string;
  stop(): Promise<void>;
}

export interface MirrorServerOptions {
  store: LocalMirrorsStore;
  dataDir: string;
  port?: number;
  /** The secret a client must present, and where it is kept (for our credential helper). */
  secret: { secret: string; keptIn: SecretPlace };
  logger: Logger;
}

/** The smart-HTTP endpoints a read-only mirror answers (receive-pack only to refuse it). */
const endpoints = new Set(['info/refs', 'git-upload-pack', 'git-receive-pack']);

/** Git's endpoints, and the Git LFS API of the objects a local mirror keeps. */
const serves = (endpoint: string) => endpoints.has(endpoint) || isLfsEndpoint(endpoint);

/** `[proj, slug.git, ...rest]` or `[id.git, ...rest]` → the mirror and the endpoint asked for. */
function route(segments: string[], mirrors: LocalMirror[]): { mirror: LocalMirror; endpoint: string } | undefined {
  const byId = /^([0-9a-f]{16})\.git$/.exec(segments[0] ?? '');
  if (byId) {
    const mirror = mirrors.find((candidate) => candidate.id === byId[1]);
    const endpoint = segments.slice(1).join('/');
    return mirror && serves(endpoint) ? { mirror, endpoint } : undefined;
  }
  const [key, repository, ...rest] = segments;
  const slug = /^(.+)\.git$/.exec(repository ?? '')?.[1];
  const endpoint = rest.join('/');
  if (!key || !slug || !serves(endpoint)) return undefined;
  const matches = mirrors.filter((candidate) => candidate.projectKey.toLowerCase() === key.toLowerCase() && candidate.slug === slug.toLowerCase());
  // Two primaries with the same project and slug: only the /<id>.git form is unambiguous.
  return matches.length === 1 ? { mirror: matches[0]!, endpoint } : undefined;
}

const howToAuthenticate = 'This local mirror server serves only git clients that authenticate. Use the credential helper that `mirror-clone local-mirrors serve` prints.';

function listenFailure(error: NodeJS.ErrnoException, port: number): Error {
  const hint = 'Choose another port with --port, or leave --port out to take a free one.';
  if (error.code === 'EADDRINUSE') return new ContractError('CONFLICT', `Port ${port} on 127.0.0.1 is already in use.`, { hint });
  if (error.code === 'EACCES') return new ContractError('CONFLICT', `Port ${port} needs privileges this user does not have.`, { hint });
  return error;
}

export async function serveLocalMirrors(options: MirrorServerOptions): Promise<MirrorServer> {
  const children = new Set<ChildProcess>();
  let port = 0;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const target = parseRequestTarget(request.url);
    if (!target) return refuse(response, 400, 'Malformed request.');
    if (!addressedToUs(request, port)) return refuse(response, 403, `This server answers only at http://127.0.0.1:${port}/.`);
    if (request.headers.origin !== undefined) return refuse(response, 403, 'Requests from web pages are refused.');
    if (request.method !== 'GET' && request.method !== 'POST') return refuse(response, 405, 'Only git clients are served.', { Allow: 'GET, POST' });
    if (!presentsSecret(request.headers.authorization, options.secret.secret)) {
      return refuse(response, 401, howToAuthenticate, { 'WWW-Authenticate': 'Basic realm="mirror-clone local mirrors", charset="UTF-8"' });
    }
    const found = route(target.segments, options.store.list().filter((mirror) => mirror.state !== 'syncing' || mirror.lastSyncAt));
    if (!found) return refuse(response, 404, 'No such local mirror.');
    if (new URLSearchParams(target.query).get('service') === 'git-receive-pack' || found.endpoint === 'git-receive-pack') {
      return refuse(response, 403, `This is a read-only local mirror. Push to ${found.mirror.primaryBaseUrl} instead.`);
    }
    if (isLfsEndpoint(found.endpoint)) {
      serveLocalMirrorLfs(request, response, { mirrorPath: found.mirror.path, endpoint: found.endpoint, hrefBase: `http://127.0.0.1:${port}/${found.mirror.id}.git` }).catch((error: unknown) => {
        options.logger.error('local mirror LFS request failed', { error: String(error) });
        if (!response.headersSent) refuse(response, 500, 'The local mirror server failed on this request.');
        else response.destroy();
      });
      return;
    }
    void runGitHttpBackend(request, response, { search: target.query ? `?${target.query}` : '' }, {
      projectRoot: path.join(options.dataDir, 'mirrors'),
      pathInfo: `/${found.mirror.id}.git/${found.endpoint}`,
      receivePack: false,
      track: (child) => {
        children.add(child);
        child.once('exit', () => children.delete(child));
      },
    });
  };

  const server: Server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      options.logger.error('local mirror request failed', { error: String(error) });
      refuse(response, 500, 'The local mirror server failed on this request.');
    }
  });
  guardServer(server, options.logger, 'local mirror server');
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenFailure(error, options.port ?? 0)));
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  // Our credential helper answers only for servers recorded here and running.
  const running = createRunningServers(options.dataDir);
  for (const stale of running.list().filter((record) => !isRunning(record.pid))) running.remove(String(stale.port));
  running.put({ port, pid: process.pid, keptIn: options.secret.keptIn });

  return {
    port,
    urlFor: (mirror) => `http://127.0.0.1:${port}/${mirror.projectKey.toLowerCase()}/${mirror.slug}.git`,
    async stop() {
      running.remove(String(port));
      for (const child of children) child.kill('SIGTERM');
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
