/**
 * What every HTTP server of the helper on 127.0.0.1 shares (local mirrors, the UI's files and its
 * WebSocket). Loopback is not private: every user of this machine can connect, and so can any web
 * page in the user's browser, by DNS rebinding (a name of the attacker's that resolves to
 * 127.0.0.1). So each server:
 *   - answers only requests addressed to it by its own name (Host `127.0.0.1:PORT` or
 *     `localhost:PORT`): a rebound name arrives with the attacker's host in Host;
 *   - answers malformed input with 400 and never lets one request take the process down: every
 *     connection has an error listener, and parsing never throws out of a handler.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger';

/** The two names this machine's loopback server at `port` is reached by. */
export function loopbackHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** The web origins of pages served by the loopback server at `port`. */
export function loopbackOrigins(port: number): string[] {
  return loopbackHosts(port).map((host) => `http://${host}`);
}

/** Whether the request names this server (a single Host header, exactly one of its two names). */
export function addressedToUs(request: IncomingMessage, port: number): boolean {
  const hosts = request.headersDistinct.host;
  return hosts?.length === 1 && loopbackHosts(port).includes(hosts[0]!.toLowerCase());
}

export interface RequestTarget {
  /** The path's segments, percent-decoded; none is empty, `.`, `..` or holds `/`, `\` or a control character. */
  segments: string[];
  /** The query string as sent, without `?` (possibly empty). */
  query: string;
}

/** Whether a decoded path holds a control character or a backslash (no served name has one). */
function hasUnsafeCharacter(text: string): boolean {
  for (const character of text) {
    const code = character.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || character === '\\') return true;
  }
  return false;
}

/**
 * Reads a request target in origin form (`/a/b?c`). Anything else (`//`, `*`, an absolute URL, a
 * bad escape such as `%ZZ` or `%FF`, dot segments) is undefined: the caller answers 400.
 */
export function parseRequestTarget(raw: string | undefined): RequestTarget | undefined {
  if (!raw || !raw.startsWith('/') || !/^[\x21-\x7e]*$/.test(raw)) return undefined;
  const questionMark = raw.indexOf('?');
  const pathPart = questionMark < 0 ? raw : raw.slice(0, questionMark);
  const query = questionMark < 0 ? '' : raw.slice(questionMark + 1);
  if (pathPart === '/') return { segments: [], query };
  const segments: string[] = [];
  for (const encoded of pathPart.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return undefined;
    }
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('/') || hasUnsafeCharacter(segment)) return undefined;
    segments.push(segment);
  }
  return { segments, query };
}

/** A short plain-text refusal; the connection is closed after it. */
export function refuse(response: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', ...headers }).end(`${message}\n`);
}

const clientErrorStatus: Record<string, number> = {
  HPE_HEADER_OVERFLOW: 431,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/**
 * Makes a server survive whatever a client sends or does: bytes that are not HTTP get 400 (431
 * for headers over Node's 16 KiB limit) and the connection is closed; a connection reset
 * mid-request ends that connection only.
 */
export function guardServer(server: Server, logger: Logger, name: string): void {
  server.on('connection', (socket) => {
    socket.on('error', (error: NodeJS.ErrnoException) => logger.debug(`${name}: a connection failed`, { code: error.code }));
  });
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    logger.debug(`${name}: refused a malformed request`, { code: error.code });
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = clientErrorStatus[error.code ?? ''] ?? 400;
    socket.end(`HTTP/1.1 ${status} ${status === 400 ? 'Bad Request' : status === 431 ? 'Request Header Fields Too Large' : 'Request Timeout'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  });
}
