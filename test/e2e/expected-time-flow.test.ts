/**
 * Choosing by expected clone time, in real Chromium against a real helper and an emulated
 * Bitbucket: a near mirror on a thin link (~2 ms, 1 MB/s), a farther one on a fat link (~25 ms,
 * 30 MB/s), a mirror in between that stays frozen, a far primary; a repository of about 12 MB, so
 * discovery measures throughput with a short transfer. The fat mirror is recommended, every row
 * shows its expected time and throughput (or "—"), and the reason names the near mirror as closer
 * but slower. After a push the frozen mirror is behind: still offered, with its note, and the
 * throughputs measured before are now remembered ones; once it has stayed behind past a sync's time it is passed
 * over as out of sync.
 * Screens at 1280x860 and 900x700 (and 720 wide, rows stacked), light and dark
 * (test-results/screenshots/expected-time-*.png), axe clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { photographAtBothSizes, photographStep, windowSizes } from '../support/photograph';
import { sidewaysOverflow, startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { findMirrors } from '../support/app-actions';
import { appendCommits } from '../fixtures/repogen/generate';

const MB = 1024 * 1024;
const thinBytesPerSecond = 1_000_000;
const fatBytesPerSecond = 30_000_000;

let world: E2eWorld;
let page: Page;
let errors: string[];
const violations: string[] = [];

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 40, bandwidthBytesPerSec: 4_000_000 },
      mirrors: [
        { name: 'near', delayMs: 2, bandwidthBytesPerSec: thinBytesPerSecond },
        { name: 'fat', delayMs: 25, bandwidthBytesPerSec: fatBytesPerSecond },
        // Pushes are not fetched: behind once the primary moves on.
        { name: 'lagging', delayMs: 12, bandwidthBytesPerSec: 2_000_000, frozen: true },
      ],
      // The throughput measurement is made for repositories of 8 MB or more.
      projects: [{ key: 'BIG', repos: [{ slug: 'assets', sizeBytes: 12 * MB, commits: 12, seed: 'expected-time' }] }],
    },
  });
  await world.connectPrimary();
  ({ page, errors } = await world.openPage({ context: { viewport: windowSizes.large } }));
}, 240_000);

afterAll(() => world?.stop(), 60_000);

async function shot(name: string): Promise<void> {
  violations.push(...(await photographAtBothSizes(page, `expected-time-${name}`, { scrollTo: () => page.getByTestId('clone-panel') })));
}

const row = (name: string) => page.locator(`[data-testid="candidate"][data-name="${name}"]`);
const cell = (name: string, testId: string) => row(name).getByTestId(testId).textContent();
/** "1.0 MB/s" → 1_000_000 (decimal units, as the app shows them). */
function bytesPerSecond(text: string | null): number {
  const match = /^([\d.]+) (B|KB|MB|GB)\/s$/.exec(text ?? '');
  if (!match) throw new Error(`not a rate: ${text}`);
  return Number(match[1]) * { B: 1, KB: 1e3, MB: 1e6, GB: 1e9 }[match[2] as 'B' | 'KB' | 'MB' | 'GB'];
}

describe('the expected clone time in the Clone panel', () => {
  it('recommends the fat mirror over the closer thin one, and says so with the figures of each', { timeout: 120_000 }, async () => {
    await findMirrors(page, 'BIG/assets');
    const reason = await page.getByTestId('discovery-reason').textContent();
    expect(reason).toMatch(/^fat: about \d+ s at [\d.]+ MB\/s here; near is closer but delivers [\d.]+ (KB|MB)\/s \(about \d+ s\)/);
    expect(await page.locator('.candidate--recommended').getAttribute('data-name')).toBe('fat');
    expect(await row('fat').getByRole('radio').isChecked()).toBe(true);

    // Measured just now, each figure in its row; the thin link reads near its cap, the fat one far above it.
    for (const name of ['near', 'fat', 'lagging']) {
      expect(await cell(name, 'candidate-expected'), name).toMatch(/^about \d+ s$/);
      expect(await cell(name, 'candidate-throughput-source'), name).toBe('measured just now');
    }
    const near = bytesPerSecond(await cell('near', 'candidate-throughput'));
    const fat = bytesPerSecond(await cell('fat', 'candidate-throughput'));
    expect(near).toBeGreaterThan(thinBytesPerSecond * 0.5);
    expect(near).toBeLessThan(thinBytesPerSecond * 1.5);
    expect(fat).toBeGreaterThan(near * 5);
    // The recommended one reads quicker than the closer one, in the figures shown.
    const seconds = async (name: string) => Number(/^about (\d+) s$/.exec((await cell(name, 'candidate-expected')) ?? '')?.[1]);
    expect(await seconds('fat')).toBeLessThan(await seconds('near'));
    expect(await seconds('fat')).toBeLessThan(await seconds('lagging'));
    expect(await cell('near', 'candidate-reason')).toContain('Closer, but a clone from it is expected to take longer than from fat.');
    // The primary is not among the three closest: nothing measured, nothing made up.
    expect(await cell('Primary', 'candidate-expected')).toBe('—');
    expect(await cell('Primary', 'candidate-throughput')).toBe('—');
    expect(await row('Primary').getByTestId('candidate-throughput-source').count()).toBe(0);

    // What it rests on: the repository's size beside its name, and what the measurement cost.
    expect(await page.getByTestId('clone-panel-facts').textContent()).toMatch(/^1[23] MB/);
    expect(await page.getByTestId('throughput-probe-cost').textContent()).toMatch(/throughput with [\d.]+ MB from 3 servers$/);

    await shot('1-recommended');
    // 870 wide: the narrowest window whose panel still gets the table rather than stacked rows.
    for (const size of [windowSizes.large, windowSizes.small, { width: 870, height: 700 }]) {
      await page.setViewportSize(size);
      expect(await sidewaysOverflow(page, '.content'), `${size.width}x${size.height}`).toBeLessThanOrEqual(0);
      // Every row's cells fit inside it, and the column heads sit over them.
      const rows = await page.locator('.candidate').evaluateAll((nodes) => nodes.map((node) => node.scrollWidth - node.clientWidth));
      expect(Math.max(...rows), `${size.width}x${size.height}`).toBeLessThanOrEqual(0);
      expect(await page.locator('.candidates__head').isVisible()).toBe(true);
    }
    await page.setViewportSize(windowSizes.large);
  });

  it('keeps a mirror that is behind as a source, with its note, and measures throughput afresh when asked to measure again', { timeout: 120_000 }, async () => {
    const repo = world.topology.repo('BIG', 'assets');
    await appendCommits({ path: repo.diskPath, count: 1, message: 'ahead of the frozen mirror' });
    await Promise.all(['near', 'fat'].map((name) => world.topology.syncNow(name)));
    await page.getByRole('button', { name: 'Measure again' }).click();
    await expect.poll(() => row('lagging').getAttribute('data-status'), { timeout: 30_000 }).toBe('behind');
    await expect.poll(() => page.getByTestId('discovery-reason').textContent(), { timeout: 30_000 }).toMatch(/^fat: /);

    expect(await cell('lagging', 'candidate-status')).toBe('behind');
    expect(await cell('lagging', 'candidate-status-note')).toBe('top-up from primary');
    expect(await cell('lagging', 'candidate-reason')).toContain('behind on 1 ref');
    // Still a source: it can be picked.
    expect(await row('lagging').getByRole('radio').isEnabled()).toBe(true);
    expect(await row('fat').getByTestId('candidate-status-note').count()).toBe(0);

    // Measure again is an explicit request: the best-ranked servers are measured afresh, not
    // taken from memory (a discovery that is not asked to measure again reuses the figures).
    for (const name of ['near', 'fat', 'lagging']) {
      expect(await cell(name, 'candidate-throughput-source'), name).toBe('measured just now');
      expect(await cell(name, 'candidate-expected'), name).toMatch(/^about \d+ s$/);
    }
    expect(bytesPerSecond(await cell('fat', 'candidate-throughput'))).toBeGreaterThan(bytesPerSecond(await cell('near', 'candidate-throughput')) * 5);
    expect(await page.getByTestId('throughput-probe-cost').textContent()).toMatch(/from 3 servers$/);

    await shot('2-behind');
  });

  it('passes over a mirror that has stayed behind for longer than a sync should take', { timeout: 120_000 }, async () => {
    // Eleven minutes on: the helper's lag memory (on disk, read at each look) saw lagging behind,
    // with the same refs, that long ago. Its refs have not moved since.
    const lagFile = path.join(world.dataDir, 'mirror-lag.json');
    const lag = JSON.parse(await readFile(lagFile, 'utf8')) as { records: Record<string, { since: number; refs: string }> };
    const laggingId = world.topology.mirrors.lagging!.id;
    const keys = Object.keys(lag.records).filter((key) => key.endsWith(` ${laggingId}`));
    expect(keys).toHaveLength(1);
    for (const key of keys) lag.records[key]!.since -= 11 * 60_000;
    await writeFile(lagFile, JSON.stringify(lag));

    await page.getByRole('button', { name: 'Measure again' }).click();
    await expect.poll(() => row('lagging').getAttribute('data-status'), { timeout: 30_000 }).toBe('out-of-sync');
    expect(await cell('lagging', 'candidate-status')).toBe('out of sync');
    expect(await cell('lagging', 'candidate-status-note')).toBe('passed over');
    expect(await cell('lagging', 'candidate-reason')).toMatch(/^lagging has been behind the primary on 1 ref for 1[12] min without catching up/);
    expect(await row('lagging').getByRole('radio').isDisabled()).toBe(true);
    expect(await page.locator('.candidate--recommended').getAttribute('data-name')).toBe('fat');
    await shot('3-out-of-sync');

    // A narrower window still: each row stacks its cells, the figures labelled in words.
    await page.setViewportSize({ width: 720, height: 800 });
    const labelWidth = async () => (await row('fat').locator('.candidate__label').first().boundingBox())?.width ?? 0;
    expect(await labelWidth()).toBeGreaterThan(20);
    expect(await sidewaysOverflow(page, '.content')).toBeLessThanOrEqual(0);
    violations.push(...(await photographStep(page, 'expected-time-4-stacked-720', { scrollTo: page.getByTestId('clone-panel'), fullPage: false })));
    await page.setViewportSize(windowSizes.large);
    expect(await labelWidth()).toBeLessThanOrEqual(1);
  });

  it('passed axe on every screen with no page errors', () => {
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
