/**
 * A WebSocket client written by hand, for frames no well-behaved library would send: oversized,
 * not UTF-8, unmasked, reserved bits, torn off half-way. The handshake is the browser's.
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';

export interface RawWebSocket {
  socket: Socket;
  /** The handshake's HTTP status (101 when upgraded). */
  status: number;
  /** Resolves with the close code the server sent (undefined: it closed without a close frame). */
  closeCode(): Promise<number | undefined>;
  /** The text frames the server sent so far. */
  texts: string[];
}

export function handshake(port: number, options: { token?: string; origin?: string; host?: string; path?: string; extraHeaders?: string[] } = {}): string {
  return [
    `GET ${options.path ?? '/'} HTTP/1.1`,
    `Host: ${options.host ?? `127.0.0.1:${port}`}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    `Sec-WebSocket-Protocol: mirror-clone.v1${options.token === undefined ? '' : `, token.${options.token}`}`,
    ...(options.origin ? [`Origin: ${options.origin}`] : []),
    ...(options.extraHeaders ?? []),
    '',
    '',
  ].join('\r\n');
}

/** Reads server frames (unmasked, as servers send them) from a growing buffer. */
function parseServerFrames(buffer: Buffer): { frames: Array<{ opcode: number; payload: Buffer }>; rest: Buffer } {
  const frames: Array<{ opcode: number; payload: Buffer }> = [];
  let offset = 0;
  for (;;) {
    if (buffer.length - offset < 2) break;
    const opcode = buffer[offset]! & 0x0f;
    let length = buffer[offset + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      if (buffer.length - offset < 4) break;
      length = buffer.readUInt16BE(offset + 2);
      header = 4;
    } else if (length === 127) {
      if (buffer.length - offset < 10) break;
      length = Number(buffer.readBigUInt64BE(offset + 2));
      header = 10;
    }
    if (buffer.length - offset < header + length) break;
    frames.push({ opcode, payload: buffer.subarray(offset + header, offset + header + length) });
    offset += header + length;
  }
  return { frames, rest: buffer.subarray(offset) };
}

export async function openRawWebSocket(port: number, options: Parameters<typeof handshake>[1] = {}): Promise<RawWebSocket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  await once(socket, 'connect');
  socket.write(handshake(port, options));

  let buffer: Buffer = Buffer.alloc(0);
  let status = 0;
  const texts: string[] = [];
  let resolveClose: (code: number | undefined) => void = () => undefined;
  const closed = new Promise<number | undefined>((resolve) => (resolveClose = resolve));
  let headRead: () => void = () => undefined;
  const head = new Promise<void>((resolve) => (headRead = resolve));

  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    if (status === 0) {
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buffer.subarray(0, end).toString('latin1'))?.[1] ?? -1);
      buffer = buffer.subarray(end + 4);
      headRead();
    }
    const { frames, rest } = parseServerFrames(buffer);
    buffer = rest;
    for (const frame of frames) {
      if (frame.opcode === 0x1) texts.push(frame.payload.toString('utf8'));
      if (frame.opcode === 0x8) resolveClose(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : undefined);
    }
  });
  socket.once('close', () => {
    headRead();
    resolveClose(undefined);
  });
  await head;
  return { socket, status, texts, closeCode: () => closed };
}

export interface FrameOptions {
  opcode: number;
  payload: Buffer;
  fin?: boolean;
  /** The three reserved bits (0 to 7): must be 0 without an extension. */
  rsv?: number;
  /** Clients must mask; false sends it unmasked. */
  masked?: boolean;
  /** A length to announce other than the payload's (a frame that lies about its size). */
  announcedLength?: number;
}

/** One client frame as bytes. */
export function clientFrame(options: FrameOptions): Buffer {
  const masked = options.masked ?? true;
  const length = options.announcedLength ?? options.payload.length;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | (options.opcode & 0x0f);
  let lengthBytes: Buffer;
  if (length < 126) lengthBytes = Buffer.from([(masked ? 0x80 : 0) | length]);
  else if (length < 65_536) {
    lengthBytes = Buffer.alloc(3);
    lengthBytes[0] = (masked ? 0x80 : 0) | 126;
    lengthBytes.writeUInt16BE(length, 1);
  } else {
    lengthBytes = Buffer.alloc(9);
    lengthBytes[0] = (masked ? 0x80 : 0) | 127;
    lengthBytes.writeBigUInt64BE(BigInt(length), 1);
  }
  if (!masked) return Buffer.concat([Buffer.from([first]), lengthBytes, options.payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(options.payload);
  for (let index = 0; index < body.length; index += 1) body[index]! ^= mask[index % 4]!;
  return Buffer.concat([Buffer.from([first]), lengthBytes, mask, body]);
}
