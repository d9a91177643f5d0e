/**
 * The development and browser-test transport: a WebSocket on 127.0.0.1 that requires a random
 * per-start token. The token travels as a WebSocket subprotocol (`token.<hex>`), which a browser
 * page can set and which stays out of URLs and logs. Optionally the same port serves the built UI.
 *
 * Every user of the machine and every web page in the user's browser can reach this port, so an
 * upgrade is checked before anything of the helper sees it: addressed to 127.0.0.1:PORT or
 * localhost:PORT (DNS rebinding), from the UI served here (the Origin a browser sends), with the
 * token. A client without an Origin header is not a web page (browsers always send one with a
 * WebSocket handshake), and any program could send any Origin it liked, so the token alone
 * decides for it: Node clients such as the tests' need no pretend Origin. A refused upgrade never
 * reaches the dispatcher, and a connection that resets or sends a bad frame ends alone.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { badMessageResponse, type Dispatcher, type HelperSideWire } from '../rpc/dispatcher';
import { createStaticHandler } from './static-files';
import type { Logger } from '../logger';
import { addressedToUs, guardServer, loopbackOrigins, parseRequestTarget, refuse } from '../net/loopback-server';

export const bridgeProtocol = 'mirror-clone.v1';
const tokenPrefix = 'token.';
const maxMessageBytes = 1024 * 1024;

export interface WebSocketTransport {
  readonly url: string;
  readonly httpUrl: string;
  readonly token: string;
  close(): Promise<void>;
}

export interface WebSocketTransportOptions {
  port?: number;
  token?: string;
  /** A folder with the built renderer, served over HTTP on the same port. */
  staticRoot?: string;
  logger: Logger;
}

function offeredToken(request: IncomingMessage): string | undefined {
  const header = request.headers['sec-websocket-protocol'];
  if (!header) return undefined;
  const offered = header.split(',').map((part) => part.trim());
  return offered.find((protocol) => protocol.startsWith(tokenPrefix))?.slice(tokenPrefix.length);
}

function tokensMatch(expected: string, actual: string | undefined): boolean {
  if (actual === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(actual);
  return a.length === b.length && timingSafeEqual(a, b);
}

const statusText: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

/** Answers an upgrade that is refused, then closes the connection (at the latest after a few seconds, for a client that does not read). */
function refuseUpgrade(socket: Duplex & { setTimeout?(ms: number, callback: () => void): unknown }, status: number): void {
  socket.setTimeout?.(5_000, () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${statusText[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`, () => socket.destroy());
}

/** Why an upgrade is refused (an HTTP status), or undefined when it may proceed. */
function upgradeRefusal(request: IncomingMessage, port: number, token: string): number | undefined {
  const target = parseRequestTarget(request.url);
  if (!target) return 400;
  if (!addressedToUs(request, port)) return 403;
  const origin = request.headersDistinct.origin;
  if (origin !== undefined && (origin.length !== 1 || !loopbackOrigins(port).includes(origin[0]!))) return 403;
  if (!tokensMatch(token, offeredToken(request))) return 401;
  return target.segments.length === 0 ? undefined : 404;
}

function wireFromSocket(socket: WebSocket): HelperSideWire {
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    onMessage(listener) {
      const onMessage = (data: Buffer, isBinary: boolean) => {
        if (isBinary) {
          socket.send(JSON.stringify(badMessageResponse('Binary frames are not part of the contract.')));
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(data.toString('utf8'));
        } catch {
          socket.send(JSON.stringify(badMessageResponse('The message is not valid JSON.')));
          return;
        }
        listener(parsed);
      };
      socket.on('message', onMessage);
      return () => socket.off('message', onMessage);
    },
    onClose(listener) {
      socket.on('close', listener);
      return () => socket.off('close', listener);
    },
    close: () => socket.close(1001, 'helper stopping'),
  };
}

export async function startWebSocketTransport(dispatcher: Dispatcher, options: WebSocketTransportOptions): Promise<WebSocketTransport> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const serveStatic = options.staticRoot ? createStaticHandler(options.staticRoot) : undefined;

  let port = 0;
  const server = createServer((request, response) => {
    if (!addressedToUs(request, port)) return refuse(response, 403, `This server answers only at http://127.0.0.1:${port}/.`);
    if (!serveStatic) return refuse(response, 404, 'Not found.');
    serveStatic(request, response).catch((error) => {
      options.logger.error('static file request failed', { error: String(error) });
      refuse(response, 500, 'The request failed.');
    });
  });
  guardServer(server, options.logger, 'helper bridge');
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    handleProtocols: (protocols) => (protocols.has(bridgeProtocol) ? bridgeProtocol : false),
  });

  server.on('upgrade', (request, socket: Duplex, head) => {
    // Node stops watching a socket once it is upgraded: without this, a reset kills the helper.
    socket.on('error', (error: NodeJS.ErrnoException) => options.logger.debug('a WebSocket connection failed', { code: error.code }));
    const refusal = upgradeRefusal(request, port, token);
    if (refusal !== undefined) {
      options.logger.warn(refusal === 401 ? 'refused a WebSocket connection without the right token' : 'refused a WebSocket connection', { status: refusal });
      refuseUpgrade(socket, refusal);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      // A frame over the size limit (1009) or text that is not UTF-8 (1007): ws closes this
      // connection with that code and reports it here; nothing else is affected.
      ws.on('error', (error: Error & { code?: string }) => options.logger.warn('closed a WebSocket connection that sent a bad frame', { code: error.code }));
      dispatcher.connect(wireFromSocket(ws), 'websocket');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `ws://127.0.0.1:${port}/`,
    httpUrl: `http://127.0.0.1:${port}/`,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
