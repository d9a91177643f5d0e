/**
 * Follows the file git-lfs writes its progress to (GIT_LFS_PROGRESS): reads what was appended
 * every `intervalMs` and hands it on as text. git-lfs creates the file only when it starts
 * transferring, so a missing file is "nothing yet".
 */
import { open } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';

export interface ProgressFileWatch {
  /** Reads what is left, then stops. */
  stop(): Promise<void>;
}

export function watchProgressFile(path: string, onText: (text: string) => void, intervalMs = 250): ProgressFileWatch {
  let offset = 0;
  // A chunk may end inside a multi-byte character of a file name.
  const decoder = new StringDecoder('utf8');
  let reading: Promise<void> = Promise.resolve();
  const readMore = async () => {
    const file = await open(path, 'r').catch(() => undefined);
    if (!file) return;
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await file.read(buffer, 0, buffer.length, offset);
        if (bytesRead === 0) break;
        offset += bytesRead;
        onText(decoder.write(buffer.subarray(0, bytesRead)));
      }
    } finally {
      await file.close();
    }
  };
  const timer = setInterval(() => {
    reading = reading.then(readMore).catch(() => undefined);
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      reading = reading.then(readMore).catch(() => undefined);
      await reading;
    },
  };
}
