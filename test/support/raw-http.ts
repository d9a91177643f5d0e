/**
 * Bytes straight onto a TCP connection to a loopback server, as a hostile or broken client sends
 * them: no HTTP library in between to tidy them up.
 */
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';

export interface RawAnswer {
  /** The status of the first response line, when there was one. */
  status?: number;
  /** Everything the server sent, as latin1. */
  text: string;
}

function open(port: number): Promise<Socket> {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  return once(socket, 'connect').then(() => socket);
}

/**
 * Sends `bytes` and collects the answer until the server closes or `timeoutMs` passes. With
 * `halfClose` the client's side is closed after the bytes, so a server waiting for the rest of a
 * request sees the end at once (Node then drops a request still being answered).
 */
export async function rawExchange(port: number, bytes: string | Buffer, options: { timeoutMs?: number; halfClose?: boolean } = {}): Promise<RawAnswer> {
  const socket = await open(port);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(bytes);
  if (options.halfClose) socket.end();
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, options.timeoutMs ?? 5_000);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  socket.destroy();
  const text = Buffer.concat(chunks).toString('latin1');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
  return { status: status ? Number(status) : undefined, text };
}

/** Sends `bytes`, then resets the connection (TCP RST) instead of closing it. */
export async function rawReset(port: number, bytes: string | Buffer, options: { afterMs?: number } = {}): Promise<void> {
  const socket = await open(port);
  socket.write(bytes);
  if (options.afterMs) await new Promise((resolve) => setTimeout(resolve, options.afterMs));
  socket.resetAndDestroy();
}
