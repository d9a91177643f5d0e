/**
 * The helper dies mid-clone (SIGKILL, as a crash) and a supervisor starts it again on the same
 * address: the page reconnects on its own, the clone is started again under the same job id and
 * finishes, and nothing half-made is left. A clone under the helper when it died twice is not
 * started a third time; one the new helper knows nothing of is shown as interrupted, not frozen.
 * Also checks the tab title carries the overall progress while clones run, and, with the
 * desktop shell's bridge stood in for by a recorder (Electron itself cannot run here), that the
 * page asks it for the folder picker, taskbar progress and notifications as it should.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { RunningHelper } from '../support/helper-process';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { photographStep } from '../support/photograph';
import { findMirrors } from '../support/app-actions';
import { createJobJournal } from '../../electron/helper/clone/job-journal';

const MB = 1024 * 1024;

let world: E2eWorld;
/** The helper running now: each restart replaces it, on the same address. */
let helper: RunningHelper;
let port: number;
let page: Page;
let errors: string[];

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      // Capped links: a clone lasts several seconds, long enough to pull the plug mid-way, and the
      // near mirror is the quicker source (the primary's link is thinner).
      primary: { delayMs: 20, bandwidthBytesPerSec: 1 * MB },
      mirrors: [{ name: 'near', delayMs: 1, bandwidthBytesPerSec: 2 * MB }],
      projects: [{ key: 'PROJ', repos: [{ slug: 'big', sizeBytes: 12 * MB, seed: 7 }] }],
    },
    // What a supervisor keeps across restarts so open pages can reconnect.
    helperEnv: { MIRROR_CLONE_HELPER_TOKEN: randomBytes(24).toString('hex') },
  });
  helper = world.helper;
  port = Number(new URL(helper.address.url).port);
  await world.connectPrimary();
  // What Electron's preload would expose, recording each call; the window counts as in the background.
  ({ page, errors } = await world.openPage({
    initScript: `
      window.__desktopCalls = [];
      window.mirrorCloneDesktop = {
        chooseFolder: async (request) => { window.__desktopCalls.push(['chooseFolder', request]); return ${JSON.stringify(world.workspace)}; },
        setProgress: (progress) => window.__desktopCalls.push(['setProgress', progress]),
        notify: (notification) => window.__desktopCalls.push(['notify', notification]),
      };
      document.hasFocus = () => false;
    `,
  }));
}, 240_000);

afterAll(() => world?.stop(), 60_000);

async function shot(name: string): Promise<void> {
  expect(await photographStep(page, `reconnect-${name}`, { scrollTo: page.getByTestId('clone-jobs') })).toEqual([]);
}

/** Discovers PROJ/big, clones it into `folder` and returns its card once it has made progress. */
async function startBigClone(folder: string): Promise<Locator> {
  await findMirrors(page, 'PROJ/big');
  // The native picker fills the parent folder (the recorder answers with the workspace).
  await page.getByLabel('Parent folder').fill('');
  await page.getByRole('button', { name: 'Choose…' }).click();
  await expect.poll(() => page.getByLabel('Parent folder').inputValue()).toBe(world.workspace);
  await page.getByLabel(/^Folder name/).fill(folder);
  const before = await page.getByTestId('clone-job').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-job-id')));
  await page.getByRole('button', { name: 'Clone', exact: true }).click();
  let jobId: string | null | undefined;
  await expect.poll(async () => (jobId = (await page.getByTestId('clone-job').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-job-id')))).find((id) => !before.includes(id))), { timeout: 30_000 }).toBeTruthy();
  const job = page.locator(`[data-testid="clone-job"][data-job-id="${jobId}"]`);
  await waitForProgress(job);
  return job;
}

async function waitForProgress(job: Locator): Promise<void> {
  await expect.poll(async () => Number(await job.getByTestId('job-progress').getAttribute('data-value')), { timeout: 60_000 }).toBeGreaterThan(0.1);
}

async function crashAndRestart(): Promise<void> {
  await helper.kill();
  await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 10_000 }).toBe('Reconnecting…');
  await expect.poll(() => page.getByTestId('connection-notice').count()).toBe(1);
}

type DesktopCall = ['chooseFolder' | 'setProgress' | 'notify', Record<string, unknown>];
const desktopCalls = async () => (await page.evaluate('window.__desktopCalls')) as DesktopCall[];

const leftovers = async () => (await readdir(world.workspace)).filter((name) => name.includes('.mirror-clone-'));

describe('when the helper stops mid-clone', () => {
  it('reconnects by itself and finishes the clone under the same job, leaving nothing half-made', { timeout: 180_000 }, async () => {
    await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    const job = await startBigClone('big');
    const jobId = await job.getAttribute('data-job-id');
    expect(await page.title()).toMatch(/^\d{1,2}% · 1 clone · mirror-clone$/);

    await crashAndRestart();
    // A half-made temporary folder is what a crash leaves when git has no chance to clean up (a
    // power cut); git orphaned by the helper usually removes its own on the broken pipe. Either
    // way there is one at the planned path for the next helper to remove.
    const planned = createJobJournal(world.dataDir).get(jobId ?? '')?.temporaryPath;
    expect(planned && path.dirname(planned)).toBe(world.workspace);
    await mkdir(planned!, { recursive: true });
    expect(await leftovers()).toEqual([path.basename(planned!)]);
    expect(await page.getByTestId('helper-state').count()).toBe(0);
    await shot('1-helper-gone');

    helper = await world.startHelper({ port });
    await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    await expect.poll(() => job.getByTestId('job-resumed').count(), { timeout: 20_000 }).toBe(1);
    expect(await job.getAttribute('data-job-id')).toBe(jobId);
    expect(await page.getByTestId('connection-notice').count()).toBe(0);
    expect(await page.getByTestId('clone-job').count()).toBe(1);
    await shot('2-resumed');

    await expect.poll(() => job.getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    expect(existsSync(path.join(world.workspace, 'big', '.git'))).toBe(true);
    expect(await leftovers()).toEqual([]);
    await expect.poll(() => page.title()).toBe('mirror-clone');
  });

  it('does not start a clone a third time when the helper died under it twice; Retry does', { timeout: 240_000 }, async () => {
    const job = await startBigClone('big-twice');
    await crashAndRestart();
    helper = await world.startHelper({ port });
    await expect.poll(() => job.getByTestId('job-resumed').count(), { timeout: 30_000 }).toBe(1);
    await waitForProgress(job);

    await crashAndRestart();
    helper = await world.startHelper({ port });
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    expect(await job.getByTestId('job-error').textContent()).toContain('stopped again while this clone was running');
    expect(await leftovers()).toEqual([]);
    expect(existsSync(path.join(world.workspace, 'big-twice'))).toBe(false);
    await shot('3-stopped-twice');

    await job.getByRole('button', { name: 'Retry' }).click();
    const again = page.locator('[data-testid="clone-job"]', { hasText: 'big-twice' });
    await expect.poll(() => again.getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    expect(existsSync(path.join(world.workspace, 'big-twice', '.git'))).toBe(true);
  });

  it('shows a clone the restarted helper knows nothing of as interrupted, not as still running', { timeout: 180_000 }, async () => {
    const job = await startBigClone('big-lost');
    await crashAndRestart();
    // Without its note of running clones the next helper cannot know this one.
    await rm(path.join(helper.address.dataDir, 'running-clones.json'));
    helper = await world.startHelper({ port });
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 30_000 }).toBe('failed');
    expect(await job.getByTestId('job-error').textContent()).toContain('The helper stopped while this clone was running.');
    expect(await job.getByRole('button', { name: 'Retry' }).count()).toBe(1);
    await shot('4-interrupted');
    expect(errors.filter((error) => !/WebSocket|ERR_CONNECTION_REFUSED/.test(error))).toEqual([]);
  });

  it('asked the desktop shell for the picker, taskbar progress and a notice per clone that ended', async () => {
    const calls = await desktopCalls();
    expect(calls.filter(([kind]) => kind === 'chooseFolder')).toHaveLength(3);
    const progress = calls.filter(([kind]) => kind === 'setProgress').map(([, value]) => value as { fraction?: number; running: number; mode: string });
    expect(progress.some((value) => value.fraction !== undefined && value.fraction > 0 && value.fraction < 1 && value.running === 1)).toBe(true);
    // The failed clones are still listed: the bar is cleared and in its error mode.
    expect(progress.at(-1)).toEqual({ mode: 'error', running: 0 });
    const notices = calls.filter(([kind]) => kind === 'notify').map(([, value]) => value);
    expect(notices).toEqual([
      { title: 'Cloned PROJ/big', body: `Into ${path.join(world.workspace, 'big')} from near.` },
      { title: 'Clone of PROJ/big (big-twice) failed', body: expect.stringContaining('stopped again') },
      { title: 'Cloned PROJ/big (big-twice)', body: `Into ${path.join(world.workspace, 'big-twice')} from near.` },
      { title: 'Clone of PROJ/big (big-lost) failed', body: 'The helper stopped while this clone was running.' },
    ]);
  });
});
