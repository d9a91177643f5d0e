// throttleProgress on a fake clock with manual timers: at most one update per interval, but the
// first, every phase change and 'done' at once, and a held update delivered at the interval's end.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GitProgressParser, throttleProgress, type GitProgress } from '../../electron/helper/git/progress';

function fakeTimers() {
  let clock = 0;
  const timers: { due: number; callback: () => void; id: number }[] = [];
  let nextId = 1;
  return {
    now: () => clock,
    setTimer: (callback: () => void, ms: number) => {
      const id = nextId++;
      timers.push({ due: clock + ms, callback, id });
      return id;
    },
    clearTimer: (id: unknown) => {
      const index = timers.findIndex((t) => t.id === id);
      if (index >= 0) timers.splice(index, 1);
    },
    /** Moves the clock, firing due timers in order. */
    advance(ms: number) {
      const target = clock + ms;
      for (;;) {
        timers.sort((a, b) => a.due - b.due);
        const next = timers[0];
        if (!next || next.due > target) break;
        timers.shift();
        clock = next.due;
        next.callback();
      }
      clock = target;
    },
    pending: () => timers.length,
  };
}

const progress = (phase: GitProgress['phase'], value: number, text = `${phase} ${value}`): GitProgress => ({ phase, value, phaseValue: value, text });

describe('throttleProgress', () => {
  it('passes the first update, holds the rest of the interval, and delivers the latest at its end', () => {
    const timers = fakeTimers();
    const seen: GitProgress[] = [];
    const throttled = throttleProgress((p) => seen.push(p), { intervalMs: 100, ...timers });
    throttled(progress('receiving', 0.1));
    timers.advance(10);
    throttled(progress('receiving', 0.2));
    timers.advance(10);
    throttled(progress('receiving', 0.3));
    expect(seen.map((p) => p.value)).toEqual([0.1]);
    timers.advance(79);
    expect(seen.map((p) => p.value)).toEqual([0.1]);
    timers.advance(1);
    expect(seen.map((p) => p.value)).toEqual([0.1, 0.3]);
    expect(timers.pending()).toBe(0);
  });

  it('never holds back a phase change or the final update', () => {
    const timers = fakeTimers();
    const seen: string[] = [];
    const throttled = throttleProgress((p) => seen.push(p.phase), { intervalMs: 100, ...timers });
    throttled(progress('receiving', 0.5));
    throttled(progress('receiving', 0.6));
    throttled(progress('resolving', 0.8));
    throttled(progress('done', 1));
    expect(seen).toEqual(['receiving', 'resolving', 'done']);
    timers.advance(500);
    expect(seen).toEqual(['receiving', 'resolving', 'done']); // the held 0.6 was superseded
  });

  it('flush delivers a held update now, cancel drops it', () => {
    const timers = fakeTimers();
    const seen: number[] = [];
    const throttled = throttleProgress((p) => seen.push(p.value), { intervalMs: 100, ...timers });
    throttled(progress('receiving', 0.1));
    throttled(progress('receiving', 0.2));
    throttled.flush();
    expect(seen).toEqual([0.1, 0.2]);
    throttled(progress('receiving', 0.3));
    throttled.cancel();
    timers.advance(1000);
    expect(seen).toEqual([0.1, 0.2]);
  });

  it('finds the phase in events that wrap a progress', () => {
    const timers = fakeTimers();
    const seen: string[] = [];
    const throttled = throttleProgress((e: { source: string; progress: GitProgress }) => seen.push(e.progress.phase), { intervalMs: 100, ...timers });
    throttled({ source: 'near', progress: progress('receiving', 0.5) });
    throttled({ source: 'near', progress: progress('receiving', 0.6) });
    throttled({ source: 'near', progress: progress('done', 1) });
    expect(seen).toEqual(['receiving', 'done']);
  });

  it('cuts a real clone down to about ten updates a second, keeping every phase and the end', () => {
    const bytes = readFileSync(new URL('../fixtures/git-output/clone-checkout.txt', import.meta.url));
    const timing = JSON.parse(readFileSync(new URL('../fixtures/git-output/clone-checkout.timing.json', import.meta.url), 'utf8')) as [number, number][];
    const timers = fakeTimers();
    const seen: GitProgress[] = [];
    const throttled = throttleProgress((p) => seen.push(p), { intervalMs: 100, ...timers });
    const parser = new GitProgressParser({ now: timers.now });
    let offset = 0;
    let all = 0;
    for (const [end, at] of timing) {
      timers.advance(at - timers.now());
      for (const update of parser.push(bytes.subarray(offset, end).toString('utf8'))) {
        all++;
        throttled(update);
      }
      offset = end;
    }
    throttled(parser.finish());
    const durationS = timing.at(-1)![1] / 1000;
    expect(all).toBeGreaterThan(200);
    // One per interval plus the phase changes (six here) and the first.
    expect(seen.length).toBeLessThanOrEqual(Math.ceil(durationS * 10) + 8);
    expect([...new Set(seen.map((p) => p.phase))]).toEqual(['connecting', 'counting', 'compressing', 'receiving', 'resolving', 'checking-out', 'done']);
    expect(seen.at(-1)).toMatchObject({ phase: 'done', value: 1 });
  });
});
