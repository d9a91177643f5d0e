// The pkt-line watcher isomorphic-git's pack response goes through: bands read in order whatever
// the chunking, bytes passed on untouched, a pending read ended by abort, redirects off.
import { describe, expect, it } from 'vitest';
import type { GitHttpRequest, GitHttpResponse, HttpClient } from 'isomorphic-git';
import { watchedHttp, type PackWatcher } from '../../electron/helper/git/iso-http';

const pkt = (payload: Buffer | string) => {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
};
const band = (n: number, payload: Buffer | string) => pkt(Buffer.concat([Buffer.from([n]), typeof payload === 'string' ? Buffer.from(payload) : payload]));

const pack = Buffer.alloc(70_000, 7);
const stream = Buffer.concat([
  pkt('NAK\n'),
  band(2, 'Counting objects:  50% (1/2)\r'),
  band(2, 'Counting objects: 100% (2/2), done.\n'),
  band(1, pack.subarray(0, 65_000)),
  band(1, pack.subarray(65_000)),
  band(3, 'fatal: just testing\n'),
  Buffer.from('0000'),
]);

async function* chunks(data: Buffer, size: () => number) {
  for (let i = 0; i < data.length; ) {
    const n = size();
    yield new Uint8Array(data.subarray(i, i + n));
    i += n;
  }
}

function recorder() {
  const seen = { packBytes: 0, text: '', error: '', ended: false, order: [] as string[] };
  const watcher: PackWatcher = {
    onPackBytes: (n) => {
      seen.packBytes += n;
      if (seen.order.at(-1) !== 'pack') seen.order.push('pack');
    },
    onRemoteText: (text) => {
      seen.text += text;
      seen.order.push('text');
    },
    onRemoteError: (text) => (seen.error += text),
    onEnd: () => (seen.ended = true),
  };
  return { seen, watcher };
}

function serving(body: () => AsyncIterableIterator<Uint8Array>, requests: GitHttpRequest[] = []): HttpClient {
  return {
    request: async (request): Promise<GitHttpResponse> => {
      requests.push(request);
      return { url: request.url, method: request.method, headers: {}, body: body(), statusCode: 200, statusMessage: 'OK' };
    },
  };
}

async function drain(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body!) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

describe('watchedHttp', () => {
  it.each([
    ['one chunk', () => stream.length],
    ['single bytes', () => 1],
    ['odd sizes', (() => {
      let seed = 11;
      return () => 1 + ((seed = (seed * 48271) % 2147483647) % 4099);
    })()],
  ])('reads the bands in order from %s and passes the bytes on untouched', async (_name, size) => {
    const { seen, watcher } = recorder();
    const requests: GitHttpRequest[] = [];
    const http = watchedHttp(serving(() => chunks(stream, size), requests), new AbortController().signal, watcher);
    const response = await http.request({ url: 'http://h/scm/p/r.git/git-upload-pack', method: 'POST', headers: {} });
    expect(await drain(response.body)).toEqual(stream);
    expect(seen).toEqual({
      packBytes: pack.length,
      text: 'Counting objects:  50% (1/2)\rCounting objects: 100% (2/2), done.\n',
      error: 'fatal: just testing\n',
      ended: true,
      order: ['text', 'text', 'pack'],
    });
    expect(requests[0]!.fetchOptions).toMatchObject({ followRedirects: false });
  });

  it('leaves other responses alone', async () => {
    const { seen, watcher } = recorder();
    const http = watchedHttp(serving(() => chunks(stream, () => 100)), new AbortController().signal, watcher);
    const response = await http.request({ url: 'http://h/scm/p/r.git/info/refs?service=git-upload-pack', method: 'GET', headers: {} });
    await drain(response.body);
    expect(seen.packBytes).toBe(0);
    expect(seen.ended).toBe(false);
  });

  it('ends a pending read as soon as the signal fires', async () => {
    const { watcher } = recorder();
    const controller = new AbortController();
    async function* stalled(): AsyncIterableIterator<Uint8Array> {
      yield new Uint8Array(pkt('NAK\n'));
      await new Promise(() => {}); // a server that stopped sending
    }
    const http = watchedHttp(serving(stalled), controller.signal, watcher);
    const response = await http.request({ url: 'http://h/r.git/git-upload-pack', method: 'POST', headers: {} });
    const reading = drain(response.body);
    setTimeout(() => controller.abort(), 20);
    await expect(reading).rejects.toMatchObject({ code: 'Aborted' });
  });
});
