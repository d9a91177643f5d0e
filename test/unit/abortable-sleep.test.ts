import { describe, expect, it } from 'vitest';
import { getEventListeners } from 'node:events';
import { abortableSleep } from '../../electron/helper/net/abortable-sleep';

describe('a pause between retries', () => {
  it('ends after its time and leaves no listener on the signal it shares with the rest of the work', async () => {
    const controller = new AbortController();
    for (let index = 0; index < 15; index += 1) await abortableSleep(1, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('ends at once, as CANCELLED, when the work is cancelled during it', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const pause = abortableSleep(10_000, controller.signal, 'The clone was cancelled.');
    setTimeout(() => controller.abort(), 10);
    await expect(pause).rejects.toMatchObject({ code: 'CANCELLED', message: 'The clone was cancelled.' });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('does not start when the work is already cancelled', async () => {
    await expect(abortableSleep(10_000, AbortSignal.abort())).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
