/**
 * Serves the built renderer to a browser (development, browser tests, the demo when Electron
 * cannot run). Read-only, GET/HEAD only, and nothing outside the root folder can be reached.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseRequestTarget } from '../net/loopback-server';
import { contentSecurityPolicy } from '../../../shared/security/content-security-policy';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export function createStaticHandler(root: string) {
  const resolvedRoot = path.resolve(root);
  return async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-store',
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    // The same reading of a request target as the helper's other servers: a bad escape, a dot
    // segment or a control character is a 400, never a file looked for.
    const target = parseRequestTarget(request.url);
    if (!target) {
      response.writeHead(400, headers).end();
      return;
    }
    const relative = target.segments.length === 0 ? 'index.html' : target.segments.join('/');
    const file = path.resolve(resolvedRoot, relative);
    if (file !== resolvedRoot && !file.startsWith(resolvedRoot + path.sep)) {
      response.writeHead(404, headers).end();
      return;
    }
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      response.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    response.writeHead(200, {
      ...headers,
      'Content-Type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': info.size,
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    // A file that vanishes or fails while it is read ends this response, not the helper.
    pipeline(createReadStream(file), response, () => undefined);
  };
}
