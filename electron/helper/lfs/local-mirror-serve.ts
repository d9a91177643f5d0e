/**
 * The Git LFS API of a local mirror, beside its Git over HTTP on the local mirror server
 * (cache/serve.ts, which has already checked the request's address, origin and secret):
 *   POST {mirror}.git/info/lfs/objects/batch    downloads only (a local mirror is read-only);
 *   GET  {mirror}.git/info/lfs/objects/{oid}     the object, whole or from a byte offset.
 * Objects are those the local mirror fetched after its sync (local-mirror-files.ts); one it does
 * not hold is answered with a per-object 404, so git-lfs can fetch it from a Bitbucket server.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { lfsObjectPath } from './local-mirror-files';

const LFS_JSON = 'application/vnd.git-lfs+json';
const BATCH = /^info\/lfs\/objects\/batch$/;
const OBJECT = /^info\/lfs\/objects\/([0-9a-f]{64})$/;
const MAX_BATCH_BYTES = 1 << 20;

export function isLfsEndpoint(endpoint: string): boolean {
  return BATCH.test(endpoint) || OBJECT.test(endpoint);
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': LFS_JSON, 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > MAX_BATCH_BYTES) throw new Error('batch request too large');
    chunks.push(chunk);
  }
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function heldSize(mirrorPath: string, oid: string): Promise<number | undefined> {
  const found = await stat(lfsObjectPath(path.join(mirrorPath, 'lfs', 'objects'), oid)).catch(() => undefined);
  return found?.isFile() ? found.size : undefined;
}

/** `hrefBase`: this mirror's URL on the local server, e.g. http://127.0.0.1:PORT/{id}.git */
export async function serveLocalMirrorLfs(request: IncomingMessage, response: ServerResponse, options: { mirrorPath: string; endpoint: string; hrefBase: string }): Promise<void> {
  if (BATCH.test(options.endpoint)) {
    if (request.method !== 'POST') return sendJson(response, 405, { message: 'The batch API takes POST.' });
    let body: unknown;
    try {
      body = await readJson(request);
    } catch {
      return sendJson(response, 422, { message: 'The batch request is not JSON.' });
    }
    // `null`, a list or a bare value is JSON too, and no batch request.
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return sendJson(response, 422, { message: 'The batch request is not a JSON object.' });
    const { operation, objects: asked } = body as { operation?: unknown; objects?: unknown };
    if (operation !== 'download') return sendJson(response, 403, { message: 'This is a read-only local mirror: push large files to the primary.' });
    if (!Array.isArray(asked)) return sendJson(response, 422, { message: 'The batch request names no objects.' });
    const objects = await Promise.all(
      asked.map(async (item: unknown) => {
        const { oid, size } = (item ?? {}) as { oid?: unknown; size?: unknown };
        if (typeof oid !== 'string' || !/^[0-9a-f]{64}$/.test(oid) || typeof size !== 'number') return { oid: String(oid), size: 0, error: { code: 422, message: 'Not an LFS object.' } };
        if ((await heldSize(options.mirrorPath, oid)) !== size) return { oid, size, error: { code: 404, message: 'This local mirror does not hold the object.' } };
        // Not `authenticated`: git-lfs then presents this server's secret for the download too.
        return { oid, size, actions: { download: { href: `${options.hrefBase}/info/lfs/objects/${oid}` } } };
      }),
    );
    return sendJson(response, 200, { transfer: 'basic', objects });
  }

  const oid = OBJECT.exec(options.endpoint)![1]!;
  if (request.method !== 'GET') return sendJson(response, 405, { message: 'Objects are read with GET.' });
  const size = await heldSize(options.mirrorPath, oid);
  if (size === undefined) return sendJson(response, 404, { message: 'This local mirror does not hold the object.' });
  // git-lfs resumes an interrupted download with `Range: bytes=N-`.
  const from = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
  const start = from ? Number(from[1]) : 0;
  // An offset at or past the end names no byte: there is no valid 206 for it.
  if (from && start >= size) {
    response.writeHead(416, { 'Content-Range': `bytes */${size}`, 'Content-Length': 0 });
    return void response.end();
  }
  response.writeHead(from ? 206 : 200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': size - start,
    'Accept-Ranges': 'bytes',
    ...(from ? { 'Content-Range': `bytes ${start}-${size - 1}/${size}` } : {}),
  });
  const stream = createReadStream(lfsObjectPath(path.join(options.mirrorPath, 'lfs', 'objects'), oid), { start });
  stream.on('error', () => response.destroy());
  response.on('close', () => stream.destroy());
  stream.pipe(response);
}
