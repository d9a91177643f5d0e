/**
 * Local clones and local mirrors in real Chromium against a real helper process and an emulated
 * Bitbucket: a primary (~40 ms), a near mirror (~1 ms, capped link) and a far one (~60 ms).
 * Clones start on the far mirror, so "Switch all to closest" has something to move; one clone's
 * folder is gone, so one switch fails. The helper's PATH starts with recording stand-ins for
 * xdg-open, a terminal and an editor. Screenshots light and dark in
 * test-results/screenshots/clones-*.png and mirrors-*.png, axe on every screen, then 200% zoom.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, realpath, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { CloneJob, ContractClient } from '../../shared/contract';
import { photographStep } from '../support/photograph';
import { gitConfig } from '../support/git';
import { recordedRuns, waitForRuns, writeRecordingPrograms } from '../support/recording-programs';
import { at200PercentZoom, sidewaysOverflow, startE2eWorld, type E2eWorld } from '../support/e2e-world';

const MB = 1000 * 1000; // decimal, as the app shows sizes

let world: E2eWorld;
let client: ContractClient;
let programs: string;
let page: Page;
let errors: string[];
const clonePaths: Record<string, string> = {};

async function cloneFromFar(slug: string): Promise<string> {
  const finished = new Promise<CloneJob>((resolve) => {
    const off = client.on('clone.state', ({ job }) => {
      if (job.params?.repository === `PROJ/${slug}` && job.finishedAt) {
        off();
        resolve(job);
      }
    });
  });
  await client.call('clone.start', { repository: `PROJ/${slug}`, primary: world.topology.primary.baseUrl, parentDirectory: world.workspace, source: 'far' });
  const job = await finished;
  if (job.state !== 'done') throw new Error(`cloning ${slug} from far: ${JSON.stringify(job.error)}`);
  return job.result!.path;
}

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 40 },
      mirrors: [
        // Capped, so the first copy of a local mirror takes long enough to be seen syncing.
        { name: 'near', delayMs: 1, bandwidthBytesPerSec: 2 * MB },
        { name: 'far', delayMs: 60 },
      ],
      projects: [{ key: 'PROJ', repos: [{ slug: 'alpha', seed: 1 }, { slug: 'beta', seed: 2 }, { slug: 'gamma', seed: 3 }, { slug: 'big', sizeBytes: 5 * MB, seed: 4 }] }],
    },
    async prepare({ tempDir }) {
      programs = path.join(tempDir, 'bin');
      await mkdir(programs);
      await writeRecordingPrograms(programs, ['xdg-open', 'x-terminal-emulator', 'code']);
      return { PATH: `${programs}:${process.env.PATH}`, TERMINAL: undefined };
    },
  });
  client = await world.client();
  await world.connectPrimary();
  await client.call('settings.update', { cacheQuotaBytes: 50 * MB });
  for (const slug of ['alpha', 'beta', 'gamma']) clonePaths[slug] = await cloneFromFar(slug);
  // gamma's folder moves away: its switch fails, and the list still shows it.
  await rename(clonePaths.gamma!, `${clonePaths.gamma}-moved`);

  ({ page, errors } = await world.openPage());
  await page.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
}, 240_000);

afterAll(() => world?.stop(), 60_000);

/** Photographs the step light and dark, then checks it with axe (serious and critical only). */
async function shot(name: string, options: { axe?: boolean; scrollTo?: string } = {}): Promise<void> {
  expect(await photographStep(page, name, { scrollTo: options.scrollTo ? page.getByTestId(options.scrollTo) : undefined, axe: options.axe })).toEqual([]);
}

const card = (slug: string) => page.locator(`[data-testid="local-clone"][data-path="${clonePaths[slug]}"]`);
const mirrorCard = () => page.locator('[data-testid="local-mirror"][data-name="PROJ/big"]');

describe('local clones', () => {
  it('lists the clones on the far mirror, and keeps one warm across a reload', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Local clones', exact: true }).click();
    await expect.poll(() => page.getByTestId('local-clone').count(), { timeout: 20_000 }).toBe(3);
    expect(await card('alpha').getByTestId('clone-source').textContent()).toBe('far');
    await shot('clones-1-list');

    const warm = card('alpha').getByRole('checkbox', { name: 'Keep warm' });
    expect(await warm.isChecked()).toBe(false);
    await warm.focus();
    await page.keyboard.press('Space');
    await expect.poll(() => warm.isChecked(), { timeout: 10_000 }).toBe(true);
    expect((await client.call('clones.list', {})).find((clone) => clone.path === clonePaths.alpha)?.warm).toBe(true);
    expect(await card('alpha').textContent()).toContain('working tree and branch are never touched');

    await page.reload();
    await page.getByRole('button', { name: 'Local clones', exact: true }).click();
    await expect.poll(() => card('alpha').getByRole('checkbox', { name: 'Keep warm' }).isChecked(), { timeout: 20_000 }).toBe(true);
    expect(await card('beta').getByRole('checkbox', { name: 'Keep warm' }).isChecked()).toBe(false);
  });

  it('switches all to the closest one by one, with a summary; fetch moves, push stays on the primary', { timeout: 180_000 }, async () => {
    await page.getByRole('button', { name: 'Switch all to closest' }).click();
    // One at a time: while the first is measured, the others wait their turn.
    await page.locator('[data-testid="local-clone"][data-switch-state="queued"]').first().waitFor({ state: 'attached', timeout: 5_000 });
    await page.locator('[data-testid="local-clone"][data-switch-state="pending"]').first().waitFor({ state: 'attached', timeout: 5_000 });
    expect(await page.getByRole('button', { name: 'Cancel switching' }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('switch-all-summary').textContent(), { timeout: 120_000 }).toBe('2 switched, 0 already closest, 1 failed.');

    for (const slug of ['alpha', 'beta']) {
      const repo = world.topology.repo('PROJ', slug);
      expect(await card(slug).getByTestId('switch-result').textContent()).toContain('Switched from far to near');
      await expect.poll(() => card(slug).getByTestId('fetch-url').textContent(), { timeout: 10_000 }).toBe(repo.mirrorHttpUrl('near'));
      expect(await card(slug).getByTestId('push-url').textContent()).toBe(repo.httpUrl);
      expect(await gitConfig(clonePaths[slug]!, 'remote.origin.url')).toBe(repo.mirrorHttpUrl('near'));
      expect(await gitConfig(clonePaths[slug]!, 'remote.origin.pushurl')).toBe(repo.httpUrl);
    }
    expect(await card('gamma').getByTestId('switch-result').getByRole('alert').textContent()).toContain('not a clone made by mirror-clone');
    // The switch kept the clone warm.
    expect(await card('alpha').getByRole('checkbox', { name: 'Keep warm' }).isChecked()).toBe(true);
    await shot('clones-2-switched');

    // Again: nothing closer now; cancelled early, the rest are not switched and say so.
    await page.getByRole('button', { name: 'Switch all to closest' }).click();
    await page.getByRole('button', { name: 'Cancel switching' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Switch all to closest' }).count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('switch-all-summary').textContent()).toMatch(/cancelled\.$/);
    expect(await page.locator('[data-testid="local-clone"][data-switch-state="cancelled"]').count()).toBeGreaterThanOrEqual(2);
    expect(await card('beta').getByTestId('switch-result').textContent()).toBe('Not switched: cancelled.');
    expect(await gitConfig(clonePaths.beta!, 'remote.origin.url')).toBe(world.topology.repo('PROJ', 'beta').mirrorHttpUrl('near'));
    await shot('clones-3-cancelled');

    await page.getByRole('button', { name: 'Switch all to closest' }).click();
    await expect.poll(() => page.getByTestId('switch-all-summary').textContent(), { timeout: 120_000 }).toBe('0 switched, 2 already closest, 1 failed.');
  });

  it('after a move to another network, says so from any section and switches all on request', { timeout: 180_000 }, async () => {
    // The helper's own notice of a move is tested against a changing network identity in
    // network-move.test.ts; here the page gets its events through a route on its WebSocket,
    // everything else from the real helper.
    let toPage: ((message: string) => void) | undefined;
    const { page: travelling, errors: travellingErrors } = await world.openPage({
      beforeLoad: (next) =>
        next.routeWebSocket(/^ws:/, (route) => {
          route.connectToServer();
          toPage = (message) => route.send(message);
        }),
    });
    const travellingCard = (slug: string) => travelling.locator(`[data-testid="local-clone"][data-path="${clonePaths[slug]}"]`);
    await travelling.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
    expect(await travelling.getByTestId('clones-attention').count()).toBe(0);

    // Now in another office: the near mirror and the primary are far away, the far one is closest.
    world.topology.setShape('near', { delayMs: 150 });
    world.topology.setShape('primary', { delayMs: 120 });
    // A real move gives the helper a new network identity, and so fresh measurements; the event
    // here is delivered to the page only, so the helper is asked to measure the new place once.
    await client.call('discovery.run', { repository: 'PROJ/alpha', refresh: true });
    try {
      toPage!(JSON.stringify({ type: 'event', event: 'network.moved', payload: { at: new Date().toISOString() } }));
      await travelling.getByTestId('clones-attention').waitFor({ timeout: 10_000 });
      // The warm clone was switched by the helper itself.
      const alphaRepo = world.topology.repo('PROJ', 'alpha');
      const automatic = {
        path: clonePaths.alpha,
        from: { name: 'near', url: alphaRepo.mirrorHttpUrl('near') },
        to: { id: 'far', name: 'far', kind: 'mirror', url: alphaRepo.mirrorHttpUrl('far') },
        changed: true,
        toppedUpFromPrimary: [],
        reason: 'far: 60 ms median vs near over 150 ms',
      };
      toPage!(JSON.stringify({ type: 'event', event: 'clones.switched', payload: { result: automatic } }));

      await travelling.getByRole('button', { name: /^Local clones/ }).click();
      await travelling.getByRole('heading', { name: 'Local clones', level: 1 }).waitFor({ timeout: 10_000 });
      await travelling.getByTestId('network-moved').waitFor({ timeout: 10_000 });
      expect(await travelling.getByTestId('network-moved').textContent()).toMatch(/^You are on another network since .+\. Other mirrors may be closer now\./);
      await expect.poll(() => travellingCard('alpha').getByTestId('switch-result').textContent()).toContain('After the move to another network: Switched from near to far.');
      expect(await photographStep(travelling, 'clones-2b-network-moved')).toEqual([]);

      await travelling.getByRole('button', { name: 'Switch all to closest' }).click();
      expect(await travelling.getByTestId('network-moved').count()).toBe(0);
      expect(await travelling.getByTestId('clones-attention').count()).toBe(0);
      await expect.poll(() => travelling.getByTestId('switch-all-summary').textContent(), { timeout: 120_000 }).toBe('2 switched, 0 already closest, 1 failed.');
      for (const slug of ['alpha', 'beta']) {
        expect(await gitConfig(clonePaths[slug]!, 'remote.origin.url')).toBe(world.topology.repo('PROJ', slug).mirrorHttpUrl('far'));
      }
      // Acted on: a reload does not ask again.
      await travelling.reload();
      await travelling.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
      expect(await travelling.getByTestId('clones-attention').count()).toBe(0);
      expect(travellingErrors).toEqual([]);
    } finally {
      world.topology.setShape('near', { delayMs: 1 });
      world.topology.setShape('primary', { delayMs: 40 });
      await travelling.close();
    }
    // Back at the first office for the tests that follow (measured afresh: the page's event was
    // not a real move, so the helper's measurements from "the other office" are still current).
    for (const slug of ['alpha', 'beta']) {
      expect((await client.call('clones.switch', { path: clonePaths[slug]!, source: 'auto', refresh: true })).to.name).toBe('near');
    }
    await page.reload();
    await page.getByRole('button', { name: 'Local clones', exact: true }).click();
    await page.getByTestId('local-clones').waitFor({ timeout: 20_000 });
  });

  it('opens a clone in the file manager, a terminal and the editor, and explains a clone that is gone', { timeout: 60_000 }, async () => {
    const alpha = card('alpha');
    const real = await realpath(clonePaths.alpha!);
    await alpha.getByRole('button', { name: 'Open in file manager' }).click();
    await expect.poll(() => alpha.getByTestId('open-result').textContent(), { timeout: 10_000 }).toBe('Opened with xdg-open.');
    expect(await waitForRuns(programs, 'xdg-open', 1)).toEqual([{ cwd: real, args: [clonePaths.alpha], token: '' }]);

    await alpha.getByRole('button', { name: 'Open in terminal' }).click();
    await expect.poll(() => alpha.getByTestId('open-result').textContent(), { timeout: 10_000 }).toBe('Opened with x-terminal-emulator.');
    expect(await waitForRuns(programs, 'x-terminal-emulator', 1)).toEqual([{ cwd: real, args: [], token: '' }]);

    // From the keyboard: Tab from the terminal button reaches the editor button.
    await alpha.getByRole('button', { name: 'Open in terminal' }).focus();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => alpha.getByTestId('open-result').textContent(), { timeout: 10_000 }).toBe('Opened with code.');
    expect(await waitForRuns(programs, 'code', 1)).toEqual([{ cwd: real, args: [clonePaths.alpha], token: '' }]);

    const gamma = card('gamma');
    await gamma.getByRole('button', { name: 'Open in file manager' }).click();
    await expect.poll(() => gamma.getByTestId('open-result').textContent(), { timeout: 10_000 }).toContain('no longer exists');
    expect(await gamma.getByTestId('open-result').getByRole('alert').getAttribute('data-code')).toBe('NOT_FOUND');
    expect(await recordedRuns(programs, 'xdg-open')).toHaveLength(1);
    await shot('clones-4-opened');
  });
});

describe('local mirrors', () => {
  it('explains what local mirrors are for when there are none', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Local mirrors' }).click();
    await page.getByTestId('mirrors-empty').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('mirrors-empty').textContent()).toContain('only what changed');
    await expect.poll(() => page.getByTestId('mirrors-usage').textContent()).toContain('0 B of 50 MB used');
    expect(await page.getByTestId('background-sync').textContent()).toContain('Background sync: on');
    await shot('mirrors-1-empty');
  });

  it('adds one: syncing while the first copy is made, then ready with its size', { timeout: 120_000 }, async () => {
    await page.getByLabel(/^Repository/).fill('PROJ/big');
    await page.getByLabel(/^Repository/).press('Enter');
    await page.getByTestId('local-mirror-pending').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('mirror-add-status').textContent()).toContain('Copying PROJ/big');
    await shot('mirrors-2-adding', { axe: false });

    await expect.poll(() => mirrorCard().getAttribute('data-state'), { timeout: 90_000 }).toBe('ready');
    expect(await page.getByTestId('local-mirror-pending').count()).toBe(0);
    await expect.poll(() => mirrorCard().getByTestId('mirror-size').textContent(), { timeout: 10_000 }).toMatch(/^\d+(\.\d)? MB$/);
    expect(await mirrorCard().getByTestId('mirror-source').textContent()).toBe('near');
    expect(await page.getByTestId('mirrors-usage').textContent()).toMatch(/^\d+(\.\d)? MB of 50 MB used/);
    await shot('mirrors-3-ready');
  });

  it('follows a sync started elsewhere live, and syncs now on request', { timeout: 120_000 }, async () => {
    // Another client (the CLI, another window) syncs it: this page sees syncing, then ready, without a reload.
    const states: string[] = [];
    const watching = (async () => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !(states.includes('syncing') && states.at(-1) === 'ready')) {
        const state = await mirrorCard().getAttribute('data-state');
        if (state && state !== states.at(-1)) states.push(state);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const [synced] = await client.call('cache.sync', {});
    await watching;
    expect(states).toContain('syncing');
    expect(states.at(-1)).toBe('ready');
    expect(synced!.state).toBe('ready');

    await mirrorCard().getByRole('button', { name: 'Sync now' }).click();
    expect(await mirrorCard().getAttribute('data-state')).toBe('syncing');
    await expect.poll(() => mirrorCard().getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    expect(await mirrorCard().getByTestId('mirror-last-sync').textContent()).toBe('just now');
  });

  it('pauses and resumes background sync, as the helper keeps it across a reload', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Pause background sync' }).click();
    await expect.poll(() => page.getByTestId('background-sync').textContent()).toContain('Background sync: paused');
    expect(await client.call('cache.status', {})).toEqual({ scheduled: true, paused: true });
    await page.reload();
    await page.getByRole('button', { name: 'Local mirrors' }).click();
    await expect.poll(() => page.getByTestId('background-sync').textContent(), { timeout: 20_000 }).toContain('Background sync: paused');
    await page.getByRole('button', { name: 'Resume background sync' }).click();
    await expect.poll(() => page.getByTestId('background-sync').textContent()).toContain('Background sync: on');
  });

  it('shows a failed sync with the reason and when it is tried again', { timeout: 120_000 }, async () => {
    for (const name of ['primary', 'near', 'far']) world.topology.setFault(name, { kind: 'refuse' });
    try {
      await mirrorCard().getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(() => mirrorCard().getAttribute('data-state'), { timeout: 60_000 }).toBe('failed');
    } finally {
      for (const name of ['primary', 'near', 'far']) world.topology.setFault(name, { kind: 'none' });
    }
    expect(await mirrorCard().getByTestId('mirror-state').textContent()).toContain('Failed');
    expect(await mirrorCard().getByTestId('mirror-error').textContent()).toMatch(/The last sync failed\. \S+/);
    // The schedule's first backoff: about half a minute.
    expect(await mirrorCard().getByTestId('mirror-retry').textContent()).toMatch(/Next automatic retry in \d+ s \(\d{1,2}:\d\d:\d\d[^)]*\)/);
    await shot('mirrors-4-failed');
  });

  it('removes one only after a confirmation, and its files with it', { timeout: 60_000 }, async () => {
    const [mirror] = await client.call('cache.list', {});
    await mirrorCard().getByRole('button', { name: 'Remove…' }).click();
    const confirmation = mirrorCard().getByTestId('remove-confirmation');
    expect(await confirmation.textContent()).toContain('Clones made with it keep working');
    // Focus lands on the safe choice; Keep it closes the question and nothing is removed.
    expect(await confirmation.getByRole('button', { name: 'Keep it' }).evaluate((node) => node === node.ownerDocument.activeElement)).toBe(true);
    await shot('mirrors-5-confirm-remove');
    await page.keyboard.press('Enter');
    expect(await confirmation.count()).toBe(0);
    expect(existsSync(mirror!.path)).toBe(true);

    await mirrorCard().getByRole('button', { name: 'Remove…' }).click();
    await confirmation.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect.poll(() => mirrorCard().count(), { timeout: 20_000 }).toBe(0);
    await page.getByTestId('mirrors-empty').waitFor();
    expect(existsSync(mirror!.path)).toBe(false);
    expect(await client.call('cache.list', {})).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('refuses to add a repository that does not exist, with the reason', { timeout: 60_000 }, async () => {
    await page.getByLabel(/^Repository/).fill('PROJ/does-not-exist');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect.poll(() => page.getByTestId('mirror-add-status').textContent(), { timeout: 30_000 }).toContain('Could not add PROJ/does-not-exist.');
    expect(await page.getByTestId('mirror-add-status').getByRole('alert').getAttribute('data-code')).toBe('NOT_FOUND');
    await shot('mirrors-6-add-refused');
  });

  it('says which mirror the disk limit removed when a new one did not fit', { timeout: 120_000 }, async () => {
    const big = await client.call('cache.add', { repository: 'PROJ/big' });
    await mirrorCard().waitFor({ timeout: 20_000 });
    const [listed] = await client.call('cache.list', {});
    // Room for big alone: adding alpha removes the least recently used, big.
    await client.call('settings.update', { cacheQuotaBytes: listed!.sizeBytes! + 1024 });
    try {
      await page.getByLabel(/^Repository/).fill('PROJ/alpha');
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect.poll(() => page.getByTestId('mirrors-evicted').textContent(), { timeout: 60_000 }).toBe('Removed to stay within the disk limit: PROJ/big.');
      expect(await mirrorCard().count()).toBe(0);
      expect(existsSync(big.path)).toBe(false);
      await shot('mirrors-6b-evicted', { scrollTo: 'mirrors-usage' });
    } finally {
      await client.call('settings.update', { cacheQuotaBytes: 50 * MB });
      for (const mirror of await client.call('cache.list', {})) await client.call('cache.remove', { id: mirror.id });
    }
  });
});

describe('at 200% zoom', () => {
  it('keeps both screens readable without sideways scrolling', { timeout: 120_000 }, async () => {
    await client.call('cache.add', { repository: 'PROJ/big' });
    const { page: zoomed, errors: zoomedErrors } = await world.openPage({ context: at200PercentZoom });
    for (const [section, name, ready] of [
      ['Local clones', 'clones-5-zoom-200', 'local-clone'],
      ['Local mirrors', 'mirrors-7-zoom-200', 'local-mirror'],
    ] as const) {
      await zoomed.getByRole('button', { name: section, exact: true }).click();
      await zoomed.getByTestId(ready).first().waitFor({ timeout: 20_000 });
      // The card's lower half (warm, open in; the mirror's facts and actions) is what wraps at this size.
      await zoomed.getByTestId(ready).first().getByRole('button').last().scrollIntoViewIfNeeded();
      await photographStep(zoomed, name, { axe: false });
      expect(await sidewaysOverflow(zoomed), section).toBeLessThanOrEqual(0);
    }
    expect(zoomedErrors).toEqual([]);
    await zoomed.context().close();
  });
});
