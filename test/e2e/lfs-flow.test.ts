/**
 * Git LFS in the app, in real Chromium against real helper processes and an emulated Bitbucket:
 * before the clone, the clone panel's word that the repository uses LFS and where the large
 * files come from; the large-file download as a phase of the clone's one bar, which moves forward
 * only from git's phases into the large files (never "Finishing" while they come); where the
 * files came from once done; and, from a helper on a machine without git-lfs, the warning before
 * the clone (pointer files, how to install git-lfs) and after it.
 * Screens at 1280x860 and 900x700, light and dark (test-results/screenshots/lfs-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, readdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ContractClient } from '../../shared/contract';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { photographAtBothSizes, windowSizes } from '../support/photograph';
import { findMirrors } from '../support/app-actions';
import { connectClient } from '../support/websocket-client';

const MB = 1024 * 1024;
let world: E2eWorld;
let client: ContractClient;
let page: Page;
let errors: string[];

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 20 },
      // Capped (per connection) so the large-file phase runs long enough to be seen.
      mirrors: [{ name: 'near', delayMs: 1, bandwidthBytesPerSec: 2 * MB }],
      projects: [{ key: 'GAME', repos: [{ slug: 'game-assets', sizeBytes: 256 * 1024, lfsBytes: 24 * MB, lfsFiles: 2, seed: 5 }] }],
    },
  });
  client = await world.client();
  await world.connectPrimary();
  ({ page, errors } = await world.openPage({ context: { viewport: windowSizes.large } }));
  await page.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
}, 240_000);

afterAll(() => world?.stop(), 60_000);

async function shot(on: Page, name: string, scrollTo?: () => Locator): Promise<void> {
  expect(await photographAtBothSizes(on, `lfs-${name}`, { scrollTo })).toEqual([]);
}

const card = (on: Page, jobId: string) => on.locator(`[data-testid="clone-job"][data-job-id="${jobId}"]`);

interface CardSample {
  value: number;
  state: string;
  label: string;
  phase: string;
  rate: string;
  remaining: string;
}

/** What the card shows, read every 50 ms until the clone has ended: the bar, the state pill, the phase. */
async function watchCard(job: Locator): Promise<CardSample[]> {
  const samples: CardSample[] = [];
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const sample = await job.evaluate((element) => ({
      value: Number(element.querySelector('[data-testid="job-progress"]')?.getAttribute('data-value') ?? 0),
      state: element.getAttribute('data-state') ?? '',
      label: element.querySelector('[data-testid="job-state"]')?.textContent ?? '',
      phase: element.querySelector('[data-testid="job-phase"]')?.textContent ?? '',
      rate: element.querySelector('[data-testid="job-rate"]')?.textContent ?? '',
      remaining: element.querySelector('[data-testid="job-remaining"]')?.textContent ?? '',
    }));
    samples.push(sample);
    if (['done', 'failed', 'cancelled'].includes(sample.state)) return samples;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the clone did not end in time');
}

describe('before the clone', () => {
  it('the clone panel says the repository uses LFS and where its large files come from', { timeout: 60_000 }, async () => {
    await findMirrors(page, 'GAME/game-assets');
    const outlook = page.getByTestId('large-files-outlook');
    await outlook.waitFor({ timeout: 10_000 });
    expect(await outlook.getAttribute('data-uses-lfs')).toBe('yes');
    expect(await outlook.textContent()).toMatch(/Uses Git LFS \(media\/\*\*\): they are asked of near first/);
    expect(await page.getByTestId('git-lfs-missing').count()).toBe(0);
    await shot(page, '0-before-clone', () => outlook);
    expect(errors).toEqual([]);
  });
});

describe('a clone with large files', () => {
  it('shows the LFS download as a phase of its bar, then where the files came from', { timeout: 120_000 }, async () => {
    const parent = path.join(world.workspace, 'with-lfs');
    await mkdir(parent);
    const { jobId } = await client.call('clone.start', { repository: 'GAME/game-assets', parentDirectory: parent, primary: world.topology.primary.baseUrl, source: 'near' });
    const job = card(page, jobId);
    await job.waitFor({ timeout: 30_000 });
    const watching = watchCard(job);
    await expect.poll(() => job.textContent(), { timeout: 60_000 }).toContain('Downloading large files (LFS)');
    await expect.poll(async () => Number(await job.getByTestId('job-progress').getAttribute('data-value')), { timeout: 30_000 }).toBeGreaterThan(0.4);
    await shot(page, '1-phase-running', () => job);
    const samples = await watching;
    expect(samples.at(-1)!.state).toBe('done');
    // The one bar through the whole clone: forward only, from git's phases into the large files.
    for (let i = 1; i < samples.length; i += 1) expect(samples[i]!.value, JSON.stringify(samples.slice(Math.max(0, i - 2), i + 1))).toBeGreaterThanOrEqual(samples[i - 1]!.value);
    const large = samples.filter((sample) => sample.phase === 'Downloading large files (LFS)');
    expect(large.length).toBeGreaterThan(3);
    expect(large.every((sample) => sample.label === 'Cloning')).toBe(true);
    // The large files' own rate and time left, once it holds steady.
    expect(large.some((sample) => /\/s$/.test(sample.rate))).toBe(true);
    expect(large.some((sample) => /left$/.test(sample.remaining))).toBe(true);
    expect(samples.some((sample) => sample.phase !== '' && sample.phase !== 'Downloading large files (LFS)' && sample.value > 0)).toBe(true);
    const note = job.getByTestId('job-large-files');
    expect(await note.textContent()).toMatch(/Large files \(Git LFS\): 2 files, 25 MB from near \(2\)/);
    await shot(page, '2-done', () => job);
    expect(errors).toEqual([]);
  });
});

describe('a machine without git-lfs', () => {
  it('clones with pointer files and says how to fetch the large files later', { timeout: 120_000 }, async () => {
    const bin = path.join(world.tempDir, 'no-lfs-bin');
    await mkdir(bin);
    for (const name of await readdir('/usr/bin')) if (name !== 'git-lfs') await symlink(path.join('/usr/bin', name), path.join(bin, name));
    const dataDir = path.join(world.tempDir, 'no-lfs-data');
    await mkdir(dataDir, { recursive: true });
    const other = await world.startHelper({ dataDir, env: { PATH: bin } });
    const { client: otherClient, socket } = await connectClient(other.address.url, other.address.token);
    try {
      await otherClient.call('primaries.add', { baseUrl: world.topology.primary.baseUrl, credentials: { kind: 'token', token: world.topology.credentials.token } });
      const { page: otherPage } = await world.openPage({ context: { viewport: windowSizes.large }, url: other.address.uiUrl });
      await otherPage.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
      // Before the clone: the warning in the clone panel, with what the clone will hold and how to install git-lfs.
      await findMirrors(otherPage, 'GAME/game-assets');
      const warning = otherPage.getByTestId('git-lfs-missing');
      await warning.waitFor({ timeout: 10_000 });
      expect(await warning.textContent()).toMatch(/git-lfs is not installed on this computer: the clone will hold small pointer files .*Install Git LFS before cloning/);
      await shot(otherPage, '3-no-git-lfs-before-clone', () => otherPage.getByTestId('large-files-outlook'));
      const parent = path.join(world.workspace, 'without-lfs');
      await mkdir(parent);
      const { jobId } = await otherClient.call('clone.start', { repository: 'GAME/game-assets', parentDirectory: parent, primary: world.topology.primary.baseUrl, source: 'near' });
      const job = card(otherPage, jobId);
      await job.waitFor({ timeout: 30_000 });
      await expect.poll(() => job.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
      const note = job.getByTestId('job-large-files');
      expect(await note.getAttribute('data-state')).toBe('pointers');
      expect(await note.textContent()).toContain('git-lfs is not installed');
      expect(await note.textContent()).toContain('git lfs install --local && git lfs pull');
      await shot(otherPage, '4-no-git-lfs', () => job);
    } finally {
      socket.close();
    }
  });
});
