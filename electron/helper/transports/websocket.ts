/**
 * The development and browser-test transport: a WebSocket on 127.0.0.1 that requires a random
 * per-start token. The token travels as a WebSocket subprotocol (`token.<hex>`), which a browser
 * page can set and which stays out of URLs and logs. Optionally the same port serves the built UI.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { badMessageResponse, type Dispatcher, type HelperSideWire } from '../rpc/dispatcher';
import { createStaticHandler } from './static-files';
import type { Logger } from '../logger';

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

  const server = createServer((request, response) => {
    if (!serveStatic) {
      response.writeHead(404).end();
      return;
    }
    serveStatic(request, response).catch((error) => {
      options.logger.error('static file request failed', { error: String(error) });
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: maxMessageBytes,
    handleProtocols: (protocols) => (protocols.has(bridgeProtocol) ? bridgeProtocol : false),
  });

  server.on('upgrade', (request, socket, head) => {
    if (!tokensMatch(token, offeredToken(request))) {
      options.logger.warn('refused a WebSocket connection without the right token');
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      dispatcher.connect(wireFromSocket(ws), 'websocket');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

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
