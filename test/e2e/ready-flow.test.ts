/**
 * Ready to work early, on the clone card, in real Chromium against a real helper process and an
 * emulated Bitbucket: a repository big enough to be cloned in steps (80 MB, most of it history)
 * is ready to open while its history arrives ("Ready to work, history 40%", with the Open
 * buttons), on one bar that never goes back; "Stop history" leaves a working shallow clone that
 * "Finish history" completes. Screens at 1280x860 and 900x700, light and dark
 * (test-results/screenshots/ready-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import type { ContractClient } from '../../shared/contract';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { photographAtBothSizes, windowSizes } from '../support/photograph';
import { realisticHistory } from '../fixtures/bitbucket/repo-population';

const run = promisify(execFile);
const MB = 1024 * 1024;
let world: E2eWorld;
let client: ContractClient;
let page: Page;
let errors: string[];

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 20 },
      // Capped so the history takes several seconds after the newest commit's files are in.
      mirrors: [{ name: 'near', delayMs: 1, bandwidthBytesPerSec: 5 * MB }],
      projects: [{ key: 'PROJ', repos: [{ slug: 'big', sizeBytes: 80 * MB, seed: 8, ...realisticHistory() }] }],
    },
  });
  client = await world.client();
  await world.connectPrimary();
  // Every value each card's bar takes, as the page renders it: [job id, value].
  ({ page, errors } = await world.openPage({
    context: { viewport: windowSizes.large },
    initScript: `
      window.__barTrace = [];
      new MutationObserver((records) => {
        for (const r of records) {
          const node = r.target;
          if (r.type === 'attributes' && node.dataset && node.dataset.testid === 'job-progress') {
            window.__barTrace.push([node.closest('[data-job-id]').dataset.jobId, Number(node.dataset.value)]);
          }
        }
      }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-value'] });
    `,
  }));
  await page.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
}, 240_000);

afterAll(() => world?.stop(), 60_000);

async function shot(name: string, scrollTo: () => Locator): Promise<void> {
  expect(await photographAtBothSizes(page, `ready-${name}`, { scrollTo })).toEqual([]);
}

const card = (jobId: string) => page.locator(`[data-testid="clone-job"][data-job-id="${jobId}"]`);
const git = async (cwd: string, ...args: string[]) => (await run('git', args, { cwd })).stdout.trim();

async function barValues(jobId: string): Promise<number[]> {
  const trace = (await page.evaluate('window.__barTrace')) as [string, number][];
  return trace.filter(([id]) => id === jobId).map(([, value]) => value);
}

const neverBack = (values: number[]) => values.every((value, index) => index === 0 || value >= values[index - 1]!);

describe('a big clone, ready to work before its history is in', () => {
  it('offers Open while the history arrives; Stop history leaves a shallow clone that Finish history completes', { timeout: 240_000 }, async () => {
    const parent = path.join(world.workspace, 'ready');
    await mkdir(parent);
    const clonePath = path.join(parent, 'big');
    const { jobId } = await client.call('clone.start', { repository: 'PROJ/big', parentDirectory: parent, primary: world.topology.primary.baseUrl, source: 'near' });
    const job = card(jobId);
    await job.waitFor({ timeout: 30_000 });

    // Ready: the newest files are in the folder, the history still shallow, the bar part-way.
    await expect.poll(() => job.getByTestId('job-state').textContent(), { timeout: 90_000 }).toBe('Ready to work');
    expect(await job.getAttribute('data-state')).toBe('cloning');
    expect(await git(clonePath, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect((await readdir(clonePath)).filter((name) => name !== '.git').length).toBeGreaterThan(0);
    await expect.poll(async () => (await job.getByTestId('job-percent').textContent()) ?? '', { timeout: 30_000 }).toMatch(/^Ready to work, history [1-9]\d?%$/);
    const open = job.getByRole('group', { name: /^Open PROJ\/big.* in$/ });
    expect(await open.getByRole('button', { name: 'Open in file manager' }).isEnabled()).toBe(true);
    expect(await open.getByRole('button', { name: 'Open in terminal' }).isEnabled()).toBe(true);
    expect(await job.getByRole('button', { name: 'Stop history' }).count()).toBe(1);
    await shot('1-working', () => job);

    // Stopped: the clone stays, working and shallow, and says how to finish it.
    await job.getByRole('button', { name: 'Stop history' }).click();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('cancelled');
    expect(await job.getByTestId('job-state').textContent()).toBe('History incomplete');
    expect(await job.getByTestId('job-percent').textContent()).toMatch(/^History stopped at \d+%$/);
    expect(await job.getByTestId('job-unfinished').textContent()).toContain('shallow');
    expect(await open.getByRole('button', { name: 'Open in file manager' }).count()).toBe(1);
    expect(await git(clonePath, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect(await git(clonePath, 'status', '--porcelain')).toBe('');
    await shot('2-stopped', () => job);
    const stoppedAt = (await barValues(jobId)).at(-1) ?? 0;

    // Local clones lists it as a clone still waiting for history: no switching or warming it meanwhile.
    await page.getByRole('navigation').getByRole('button', { name: /^Local clones/ }).click();
    const listed = page.locator(`[data-testid="local-clone"][data-path="${clonePath}"]`);
    await expect.poll(() => listed.getByTestId('history-pending').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await listed.getByRole('button', { name: 'Switch to closest' }).count()).toBe(0);
    expect(await listed.getByTestId('warm-toggle').count()).toBe(0);
    await page.getByRole('navigation').getByRole('button', { name: /^Repositories/ }).click();

    // Finish history: a job in its place, ready from the start, that ends in a complete clone.
    await job.getByTestId('finish-history').click();
    const finishing = page.locator('[data-testid="clone-job"]').filter({ hasNot: page.locator(`[data-job-id="${jobId}"]`) }).first();
    await expect.poll(async () => (await finishing.getAttribute('data-job-id')) ?? jobId, { timeout: 30_000 }).not.toBe(jobId);
    const finishingId = (await finishing.getAttribute('data-job-id'))!;
    const again = card(finishingId);
    await expect.poll(() => again.getByTestId('job-state').textContent(), { timeout: 60_000 }).toMatch(/^(Ready to work|Done)$/);
    if ((await again.getAttribute('data-state')) !== 'done') await shot('3-finishing', () => again);
    await expect.poll(() => again.getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    expect(await again.getByTestId('job-result').textContent()).toContain('continued');
    await shot('4-done', () => again);

    expect(await git(clonePath, 'rev-parse', '--is-shallow-repository')).toBe('false');
    expect(existsSync(path.join(clonePath, '.git', 'mirror-clone-resumable.json'))).toBe(false);
    // One bar per card, never going back; the one finishing the history starts where it stopped.
    const first = await barValues(jobId);
    const second = await barValues(finishingId);
    expect(first.length).toBeGreaterThan(2);
    expect(neverBack(first), first.join(', ')).toBe(true);
    expect(neverBack(second), second.join(', ')).toBe(true);
    expect(second.filter((value) => value > 0 && value < 1)[0] ?? 1).toBeGreaterThanOrEqual(stoppedAt - 0.05);
    expect(errors).toEqual([]);
  });
});
