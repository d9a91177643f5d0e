// Small Bitbucket stand-ins for the probe tests: a node:http server answering `/status` (and
// nothing else), reached through a shaping proxy that makes it look far away. The server counts
// the TCP connections it accepts and keeps the headers of every request, so tests can check
// keep-alive and that nothing that authenticates was ever sent.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { once } from 'node:events';
import { startShapingProxy, type Fault, type ShapingProxy } from '../fixtures/net/shaping-proxy';

export interface StatusAnswer {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

export const runningAnswer: StatusAnswer = { status: 200, body: '{"state":"RUNNING"}' };

export interface StatusServer {
  /** The address clients use: through the proxy, with the context path. */
  baseUrl: string;
  proxy: ShapingProxy;
  /** TCP connections the server accepted (from the proxy, one per client connection). */
  readonly connections: number;
  /** Sockets the server has open now. */
  readonly openSockets: number;
  readonly requests: { path: string; headers: http.IncomingHttpHeaders }[];
  setAnswer(answer: StatusAnswer): void;
  stop(): Promise<void>;
}

export interface StatusServerOptions {
  /** One-way delay added by the proxy; the round trip grows by twice this. */
  delayMs: number;
  contextPath?: string;
  fault?: Fault;
  answer?: StatusAnswer;
}

export async function startStatusServer(options: StatusServerOptions): Promise<StatusServer> {
  const contextPath = options.contextPath ?? '';
  let answer = options.answer ?? runningAnswer;
  let connections = 0;
  const sockets = new Set<Socket>();
  const requests: StatusServer['requests'] = [];

  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    if (req.url !== `${contextPath}/status`) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    const body = Buffer.from(answer.body);
    res.writeHead(answer.status, { 'Content-Type': answer.contentType ?? 'application/json;charset=UTF-8', 'Content-Length': body.length, ...answer.headers });
    res.end(body);
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const serverPort = (server.address() as AddressInfo).port;
  const proxy = await startShapingProxy({ targetPort: serverPort, shape: { delayMs: options.delayMs }, fault: options.fault });

  return {
    baseUrl: `http://127.0.0.1:${proxy.port}${contextPath}`,
    proxy,
    get connections() {
      return connections;
    },
    get openSockets() {
      return sockets.size;
    },
    requests,
    setAnswer(next) {
      answer = next;
    },
    async stop() {
      // Let connections our clients just closed finish closing through the delayed link first:
      // the proxy's stop() resets whatever is open, and a reset racing a close in progress can
      // leave it waiting for a 'close' event that Node never emits (end() then resetAndDestroy()
      // before the shutdown completes fails with EINVAL). Stalled links forward no close at all,
      // hence the bound.
      await eventually(() => proxy.openConnections === 0, 2 * options.delayMs + 300);
      await proxy.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Polls `condition` every 10 ms until it holds or `withinMs` passes; resolves with whether it held. */
export async function eventually(condition: () => boolean, withinMs: number): Promise<boolean> {
  const until = performance.now() + withinMs;
  while (!condition()) {
    if (performance.now() > until) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}
