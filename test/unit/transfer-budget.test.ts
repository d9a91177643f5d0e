import { describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TransferTooLargeError, defaultMaxTransferBytes, transferLimitBytes, watchTransfer } from '../../electron/helper/transfer/transfer-budget';

const MiB = 1024 ** 2;

describe('the byte budget of one transfer', () => {
  it('is twice the known size plus 100 MiB, else the setting, else 20 GiB', () => {
    expect(transferLimitBytes(10 * MiB, 5 * MiB)).toBe(120 * MiB);
    expect(transferLimitBytes(0, undefined)).toBe(100 * MiB);
    expect(transferLimitBytes(null, 5 * MiB)).toBe(5 * MiB);
    expect(transferLimitBytes(undefined, undefined)).toBe(defaultMaxTransferBytes);
    expect(defaultMaxTransferBytes).toBe(20 * 1024 ** 3);
  });

  it('trips on the bytes git reports, aborting the transfer with a message naming the server', async () => {
    const caller = new AbortController();
    const watch = await watchTransfer({ limitBytes: 10 * MiB, sizeKnown: false, serverName: 'Lab (lab.example.net)', signal: caller.signal });
    watch.onProgress({ receivedBytes: 10 * MiB });
    expect(watch.signal.aborted).toBe(false);
    watch.onProgress({ receivedBytes: 10 * MiB + 1 });
    expect(watch.signal.aborted).toBe(true);
    const error = watch.explain(new Error('git was stopped'));
    expect(error).toBeInstanceOf(TransferTooLargeError);
    expect((error as Error).message).toMatch(/^Lab \(lab\.example\.net\) sent more than 10 MB .*raise the largest transfer allowed \(the maxTransferBytes setting\)/);
    watch.stop();
    expect(caller.signal.aborted).toBe(false);
  });

  it('trips on the growth of the object folder, counting only what arrived during the transfer', async () => {
    const repository = await mkdtemp(path.join(os.tmpdir(), 'budget-'));
    try {
      await mkdir(path.join(repository, 'objects', 'pack'), { recursive: true });
      await writeFile(path.join(repository, 'objects', 'pack', 'old.pack'), Buffer.alloc(3 * MiB));
      const watch = await watchTransfer({ limitBytes: 2 * MiB, sizeKnown: true, serverName: 'Far', signal: new AbortController().signal, repository, pollMs: 20 });
      const tripped = new Promise((resolve) => watch.signal.addEventListener('abort', resolve, { once: true }));
      await writeFile(path.join(repository, 'objects', 'pack', 'tmp_pack_x'), Buffer.alloc(MiB));
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(watch.signal.aborted).toBe(false);
      await writeFile(path.join(repository, 'objects', 'pack', 'tmp_pack_x'), Buffer.alloc(3 * MiB));
      await tripped;
      expect(watch.explain(undefined)).toBeInstanceOf(TransferTooLargeError);
      watch.stop();
    } finally {
      await rm(repository, { recursive: true, force: true });
    }
  });
});
