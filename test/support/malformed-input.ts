/**
 * Malformed HTTP requests and WebSocket frames from a seeded generator: the same seed gives the
 * same cases on every machine, so a case that breaks a server can be replayed (each has a label
 * saying what it is and its number).
 */
import { SeededRandom } from '../fixtures/repogen/seeded-random';
import { clientFrame } from './raw-websocket';

export interface MalformedRequest {
  label: string;
  bytes: Buffer;
  /** Reset the connection (TCP RST) after sending, instead of waiting for the answer. */
  reset: boolean;
}

export interface RequestShape {
  port: number;
  /** A path the server really serves, so some cases are near misses rather than pure noise. */
  path: string;
  /** Headers that make a request a WebSocket upgrade (for the bridge), or none. */
  upgradeHeaders?: string[];
}

const badEscapes = ['%ZZ', '%FF', '%E0%80', '%', '%2', '%u0041', '%C0%AF', '%00', '%0A', '%ED%A0%80', '%F4%90%80%80', '%%', '%G1'];
const badTargets = ['//', '///', '*', 'http://evil.example/', '//evil.example/x.git/info/refs', '/..', '/./x', '/a/../../etc/passwd', '\\', '/a\\b', '?', 'http://[', 'x', '/%2e%2e/%2e%2e/', '/.git/config'];
const methods = ['GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PATCH', 'get', 'G\u0000T', 'BREW', 'X'.repeat(300)];
const versions = ['HTTP/1.1', 'HTTP/1.0', 'HTTP/9.9', 'HTTP/1', 'http/1.1', 'HTTP/1.1 extra', '', 'HTTP/2.0'];

function text(random: SeededRandom, length: number, alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-._~%/?=&'): string {
  return Array.from({ length }, () => alphabet[random.below(alphabet.length)]).join('');
}

function requestBytes(line: string, headers: string[], body: Buffer | string = ''): Buffer {
  return Buffer.concat([Buffer.from(`${line}\r\n${headers.join('\r\n')}${headers.length > 0 ? '\r\n' : ''}\r\n`, 'latin1'), Buffer.from(body)]);
}

/** One malformed request of a kind the random stream picks. */
function oneRequest(random: SeededRandom, shape: RequestShape, index: number): MalformedRequest {
  const host = `Host: 127.0.0.1:${shape.port}`;
  const base = [host, ...(shape.upgradeHeaders ?? [])];
  const kinds = [
    'bad escape',
    'bad target',
    'bad request line',
    'huge header',
    'many headers',
    'broken header',
    'bad length',
    'bad chunking',
    'hostile host',
    'absurd authorization',
    'garbage',
    'truncated',
    'pipelined',
  ] as const;
  const kind = kinds[random.below(kinds.length)]!;
  let bytes: Buffer;
  switch (kind) {
    case 'bad escape': {
      const escape = badEscapes[random.below(badEscapes.length)]!;
      const segments = shape.path.split('/');
      segments[1 + random.below(Math.max(1, segments.length - 1))] = escape;
      bytes = requestBytes(`GET ${segments.join('/') || `/${escape}`} HTTP/1.1`, base);
      break;
    }
    case 'bad target':
      bytes = requestBytes(`GET ${random.below(4) === 0 ? `/${text(random, 4_000 + random.below(6_000))}` : badTargets[random.below(badTargets.length)]} HTTP/1.1`, base);
      break;
    case 'bad request line': {
      const method = methods[random.below(methods.length)]!;
      const version = versions[random.below(versions.length)]!;
      const shapes = [`${method} ${shape.path} ${version}`, `${method}`, `${method}  ${shape.path}  ${version}`, `${shape.path} ${method} ${version}`, text(random, 1 + random.below(200), 'ABC xyz/\t\u0001\u007f')];
      bytes = requestBytes(shapes[random.below(shapes.length)]!, base);
      break;
    }
    case 'huge header':
      bytes = requestBytes(`GET ${shape.path} HTTP/1.1`, [...base, `X-Huge: ${'a'.repeat(17_000 + random.below(50_000))}`]);
      break;
    case 'many headers':
      bytes = requestBytes(`GET ${shape.path} HTTP/1.1`, [...base, ...Array.from({ length: 200 + random.below(3_000) }, (_, n) => `X-${n}: ${text(random, 4)}`)]);
      break;
    case 'broken header': {
      const broken = ['NoColonHere', 'Bad Name: x', 'X-Nul: a\u0000b', ': empty-name', 'X-Folded: a\r\n  folded', 'X-Ctl: \u0001\u0002', `X-Latin: ${'\u00ff'.repeat(10)}`, 'Connection: upgrade, keep-alive, close'];
      bytes = requestBytes(`GET ${shape.path} HTTP/1.1`, [...base, broken[random.below(broken.length)]!]);
      break;
    }
    case 'bad length': {
      const lengths = [['Content-Length: -1'], ['Content-Length: abc'], ['Content-Length: 1e3'], ['Content-Length: 5', 'Content-Length: 6'], ['Content-Length: 99999999999999999999'], ['Content-Length: 100']];
      bytes = requestBytes(`POST ${shape.path} HTTP/1.1`, [...base, ...lengths[random.below(lengths.length)]!], random.bytes(random.below(50)));
      break;
    }
    case 'bad chunking': {
      const encodings = ['Transfer-Encoding: chunked', 'Transfer-Encoding: gzip', 'Transfer-Encoding: chunked, chunked', 'Transfer-Encoding: xchunked'];
      const bodies = ['zz\r\nhello\r\n0\r\n\r\n', 'ffffffffffffffff\r\n', '5\r\nhi\r\n', '-1\r\n\r\n'];
      bytes = requestBytes(`POST ${shape.path} HTTP/1.1`, [...base.filter((header) => header !== host), host, encodings[random.below(encodings.length)]!, 'Content-Length: 3'], bodies[random.below(bodies.length)]);
      break;
    }
    case 'hostile host': {
      const hosts = [[], [host, host], [host, 'Host: evil.example'], ['Host: evil.example'], ['Host: '], [`Host: 127.0.0.1:${shape.port}@evil.example`], ['Host: [::1'], [host, 'Origin: http://evil.example'], [host, 'Origin: null']];
      bytes = requestBytes(`GET ${shape.path} HTTP/1.1`, [...hosts[random.below(hosts.length)]!, ...(shape.upgradeHeaders ?? [])]);
      break;
    }
    case 'absurd authorization': {
      const values = ['Basic', 'Basic !!!', `Basic ${random.bytes(3_000).toString('base64')}`, `Basic ${Buffer.from([0xff, 0xfe, 0x3a, 0xc3, 0x28]).toString('base64')}`, 'Bearer x', `Basic ${Buffer.from(':').toString('base64')}`];
      bytes = requestBytes(`GET ${shape.path} HTTP/1.1`, [...base, `Authorization: ${values[random.below(values.length)]}`]);
      break;
    }
    case 'garbage':
      bytes = random.bytes(1 + random.below(4_096));
      break;
    case 'truncated': {
      const whole = requestBytes(`GET ${shape.path} HTTP/1.1`, base);
      bytes = whole.subarray(0, 1 + random.below(whole.length - 1));
      break;
    }
    case 'pipelined':
      bytes = Buffer.concat([requestBytes(`GET ${shape.path} HTTP/1.1`, base), requestBytes(`GET /%ZZ HTTP/1.1`, base), random.bytes(random.below(100))]);
      break;
  }
  return { label: `#${index} ${kind}`, bytes, reset: random.below(4) === 0 };
}

export function malformedRequests(seed: number, count: number, shape: RequestShape): MalformedRequest[] {
  const random = new SeededRandom(seed, `malformed requests ${shape.path} ${shape.upgradeHeaders ? 'upgrade' : 'plain'}`);
  return Array.from({ length: count }, (_, index) => oneRequest(random, shape, index));
}

export interface MalformedFrames {
  label: string;
  /** The frames, already as bytes, to send on one authenticated connection. */
  bytes: Buffer[];
  reset: boolean;
}

/** One connection's worth of bad frames: reserved bits, unknown opcodes, lies about length, bad UTF-8, oversized... */
function oneConnection(random: SeededRandom, index: number): MalformedFrames {
  const frames: Buffer[] = [];
  const kinds: string[] = [];
  const count = 1 + random.below(4);
  for (let n = 0; n < count; n += 1) {
    const kind = random.below(10);
    const payload = random.bytes(random.below(300));
    switch (kind) {
      case 0:
        kinds.push('random opcode');
        frames.push(clientFrame({ opcode: random.below(16), payload }));
        break;
      case 1:
        kinds.push('reserved bits');
        frames.push(clientFrame({ opcode: 1, payload: Buffer.from('{}'), rsv: 1 + random.below(7) }));
        break;
      case 2:
        kinds.push('unmasked');
        frames.push(clientFrame({ opcode: 1, payload: Buffer.from('{}'), masked: false }));
        break;
      case 3:
        kinds.push('not utf-8');
        frames.push(clientFrame({ opcode: 1, payload: Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), payload]) }));
        break;
      case 4:
        kinds.push('oversized');
        frames.push(clientFrame({ opcode: random.below(2) + 1, payload: Buffer.alloc(1024 * 1024 + 1 + random.below(1024 * 1024), 0x20) }));
        break;
      case 5:
        kinds.push('announces more than it sends');
        frames.push(clientFrame({ opcode: 1, payload, announcedLength: payload.length + 1 + random.below(2 ** 20) }));
        break;
      case 6:
        kinds.push('announces 2^53');
        frames.push(clientFrame({ opcode: 2, payload: Buffer.alloc(0), announcedLength: 2 ** 53 }));
        break;
      case 7:
        kinds.push('control frame too long or fragmented');
        frames.push(clientFrame({ opcode: 8 + random.below(3), payload: Buffer.alloc(126 + random.below(200)), fin: random.below(2) === 0 }));
        break;
      case 8:
        kinds.push('continuation without a start');
        frames.push(clientFrame({ opcode: 0, payload, fin: random.below(2) === 0 }));
        break;
      default:
        kinds.push('bad close code');
        frames.push(clientFrame({ opcode: 8, payload: Buffer.from([random.below(256), random.below(256), 0xff]) }));
    }
  }
  return { label: `#${index} ${kinds.join(', ')}`, bytes: frames, reset: random.below(3) === 0 };
}

export function malformedFrames(seed: number, count: number): MalformedFrames[] {
  const random = new SeededRandom(seed, 'malformed websocket frames');
  return Array.from({ length: count }, (_, index) => oneConnection(random, index));
}
