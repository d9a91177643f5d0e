/**
 * The complete objects at the start of a pack that was cut short, and a valid pack made of them.
 *
 * When a fetch's link breaks, git's index-pack has already written what arrived to
 * `objects/pack/tmp_pack_*` and leaves it there. The pack is a stream of objects, each a small
 * header and a zlib stream, in an order where a delta's base (when it is in the pack) comes
 * before it: so every object before the cut is whole and usable. A pack with the same start, the
 * object count of that prefix and a new trailer is a valid pack (index-pack.ts indexes it).
 *
 * The objects are read one at a time from a window of the file, so a pack of gigabytes is scanned
 * in little memory; each object is inflated once, to find where it ends (git stores no lengths).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { inflateSync } from 'node:zlib';

export interface PackPrefix {
  /** The pack format version from the header (2 or 3). */
  version: number;
  /** How many objects the sender meant to send. */
  declaredObjects: number;
  /** How many whole objects the file starts with. */
  objects: number;
  /** How many of them are deltas (stored against another object). */
  deltas: number;
  /** The objects' sizes added up, and how much of that came as deltas. */
  contentBytes: number;
  deltaContentBytes: number;
  /** Where the last whole object ends: the prefix is bytes [12, end). */
  end: number;
}

const headerBytes = 12;
const initialWindow = 4 * 1024 * 1024;
/**
 * An object is inflated in memory to find its end: one bigger than this ends the scan there (what
 * came before it is kept). Git repositories rarely hold such objects; large files belong in LFS.
 */
export const largestScannedObject = 256 * 1024 * 1024;
const objectTypes = new Set([1, 2, 3, 4, 6, 7]);
const ofsDelta = 6;
const refDelta = 7;

interface ObjectHeader {
  type: number;
  /** The inflated size: the object's, or for a delta its delta data's. */
  size: number;
  /** The header's own length, including a delta's base offset or id. */
  length: number;
}

/** The object header at `at`, or undefined when the bytes end first or it is not one. */
function readObjectHeader(bytes: Buffer, at: number, hashLength: number): ObjectHeader | undefined {
  let index = at;
  if (index >= bytes.length) return undefined;
  let byte = bytes[index++]!;
  const type = (byte >> 4) & 7;
  if (!objectTypes.has(type)) return undefined;
  let size = byte & 15;
  let scale = 16;
  while (byte & 0x80) {
    if (index >= bytes.length) return undefined;
    byte = bytes[index++]!;
    size += (byte & 0x7f) * scale;
    scale *= 128;
  }
  if (type === ofsDelta) {
    do {
      if (index >= bytes.length) return undefined;
      byte = bytes[index++]!;
    } while (byte & 0x80);
  } else if (type === refDelta) {
    index += hashLength;
    if (index > bytes.length) return undefined;
  }
  return { type, size, length: index - at };
}

/** The second of the two sizes a delta starts with (git's little-endian base-128 numbers). */
function readSizeAfterBaseSize(delta: Buffer): number {
  let index = 0;
  while (index < delta.length && delta[index]! & 0x80) index++;
  index++;
  let size = 0;
  let scale = 1;
  while (index < delta.length) {
    const byte = delta[index++]!;
    size += (byte & 0x7f) * scale;
    scale *= 128;
    if (!(byte & 0x80)) break;
  }
  return size;
}

/** A movable view of part of a file. */
class FileWindow {
  bytes = Buffer.alloc(0);
  start = 0;
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}
  get end(): number {
    return this.start + this.bytes.length;
  }
  get reachesEnd(): boolean {
    return this.end >= this.size;
  }
  async load(start: number, length: number): Promise<void> {
    const wanted = Math.max(0, Math.min(length, this.size - start));
    const buffer = Buffer.allocUnsafe(wanted);
    const { bytesRead } = await this.handle.read(buffer, 0, wanted, start);
    this.bytes = buffer.subarray(0, bytesRead);
    this.start = start;
  }
}

export interface ScanOptions {
  signal?: AbortSignal;
  hashLength?: number;
  /** How far the scan is, in bytes of the file: at the start, every few megabytes, and at the end. */
  onScanned?(bytes: number, fileBytes: number): void;
}

const reportEveryBytes = 4 * 1024 * 1024;

/** The whole objects a (possibly cut) pack file starts with; none when it is not a pack. */
export async function scanPackPrefix(file: string, options: ScanOptions = {}): Promise<PackPrefix> {
  const hashLength = options.hashLength ?? 20;
  const handle = await open(file, 'r');
  try {
    const window = new FileWindow(handle, (await handle.stat()).size);
    options.onScanned?.(0, window.size);
    await window.load(0, initialWindow);
    const head = window.bytes;
    if (head.length < headerBytes || head.toString('latin1', 0, 4) !== 'PACK') return { version: 0, declaredObjects: 0, objects: 0, deltas: 0, contentBytes: 0, deltaContentBytes: 0, end: 0 };
    const version = head.readUInt32BE(4);
    const declaredObjects = head.readUInt32BE(8);
    if (version !== 2 && version !== 3) return { version, declaredObjects, objects: 0, deltas: 0, contentBytes: 0, deltaContentBytes: 0, end: 0 };
    let at = headerBytes;
    let objects = 0;
    let deltas = 0;
    let contentBytes = 0;
    let deltaContentBytes = 0;
    let reported = 0;
    scanning: while (objects < declaredObjects) {
      options.signal?.throwIfAborted();
      // Headers are short; a window ending within one is moved to start at it.
      if (at + 64 > window.end && !window.reachesEnd) await window.load(at, initialWindow);
      const header = readObjectHeader(window.bytes, at - window.start, hashLength);
      if (!header || header.size > largestScannedObject) break;
      const dataAt = at + header.length;
      let length = initialWindow;
      for (;;) {
        let inflated: { buffer: Buffer; engine: { bytesWritten: number } } | undefined;
        try {
          inflated = inflateSync(window.bytes.subarray(dataAt - window.start), { info: true }) as unknown as typeof inflated;
        } catch (error) {
          // Its zlib stream goes on past the window: a bigger window, unless the file ends there (the cut).
          if ((error as NodeJS.ErrnoException).code !== 'Z_BUF_ERROR' || window.reachesEnd) break scanning;
          length *= 2;
          await window.load(at, length);
          continue;
        }
        if (inflated!.buffer.length !== header.size) break scanning;
        at = dataAt + inflated!.engine.bytesWritten;
        objects++;
        if (header.type === ofsDelta || header.type === refDelta) {
          // A delta starts with its base's size and then the size of the object it makes.
          const made = readSizeAfterBaseSize(inflated!.buffer);
          deltas++;
          deltaContentBytes += made;
          contentBytes += made;
        } else contentBytes += header.size;
        if (at - reported >= reportEveryBytes) {
          reported = at;
          options.onScanned?.(at, window.size);
        }
        break;
      }
    }
    options.onScanned?.(window.size, window.size);
    return { version, declaredObjects, objects, deltas, contentBytes, deltaContentBytes, end: at };
  } finally {
    await handle.close();
  }
}

/** A valid pack of the prefix's objects: its header with their count, their bytes, a new trailer. */
export function packOfPrefix(file: string, prefix: PackPrefix): Readable {
  async function* bytes() {
    const hash = createHash('sha1');
    const header = Buffer.alloc(headerBytes);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(prefix.version, 4);
    header.writeUInt32BE(prefix.objects, 8);
    hash.update(header);
    yield header;
    if (prefix.end > headerBytes) {
      for await (const chunk of createReadStream(file, { start: headerBytes, end: prefix.end - 1 })) {
        hash.update(chunk as Buffer);
        yield chunk as Buffer;
      }
    }
    yield hash.digest();
  }
  return Readable.from(bytes(), { objectMode: false });
}
