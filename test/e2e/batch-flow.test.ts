/**
 * Day one in the app, in real Chromium against a real helper and an emulated Bitbucket: several
 * repositories checked in the browser by keyboard (Space, Shift+arrows) and by mouse (a click,
 * Shift+click), cloned as one batch whose one card reaches m of m in sight of the button pressed;
 * "Clone all of PROJECT" with one repository whose folder is taken, listed with its hint among the
 * failures, and "Retry failed" cloning it once the folder is free. Team files: the checked
 * repositories saved as one; a malformed one and one for a primary not connected here refused
 * with a line per problem; a good one shown as what it would do, then cloned, leaving alone what
 * is already there. Screens at 1280x860 and 900x700, light and dark (test-results/screenshots/batch-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { photographAtBothSizes } from '../support/photograph';
import { screenshotDir } from '../support/browser';
import { at200PercentZoom, sidewaysOverflow, startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { parseTeamFile } from '../../shared/team-file';

const MB = 1024 * 1024;

let world: E2eWorld;
let page: Page;
let errors: string[];
const violations: string[] = [];

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      // Capped so the batch runs long enough to be seen running (and cancelled).
      primary: { delayMs: 20, bandwidthBytesPerSec: 2 * MB },
      mirrors: [{ name: 'near', delayMs: 1, bandwidthBytesPerSec: 1 * MB }],
      projects: [
        {
          key: 'CORE',
          name: 'Core',
          repos: ['api', 'web', 'docs', 'infra', 'tools', 'mobile'].map((slug, index) => ({ slug, sizeBytes: 700 * 1024, seed: index + 1 })),
        },
        { key: 'LIBS', name: 'Libraries', repos: [{ slug: 'lib-a' }, { slug: 'lib-b' }, { slug: 'lib-old', archived: true }] },
        { key: 'BIG', name: 'Big', repos: [{ slug: 'assets', sizeBytes: 8 * MB, seed: 11 }, { slug: 'history', sizeBytes: 8 * MB, seed: 12 }] },
      ],
    },
  });
  await world.connectPrimary();
  // What Electron's preload would expose, recording each call; the window counts as in the background.
  ({ page, errors } = await world.openPage({
    context: { viewport: { width: 1280, height: 860 } },
    initScript: `
      window.__desktopCalls = [];
      window.mirrorCloneDesktop = {
        chooseFolder: async () => undefined,
        setProgress: (progress) => window.__desktopCalls.push(['setProgress', progress]),
        notify: (notification) => window.__desktopCalls.push(['notify', notification]),
      };
      document.hasFocus = () => false;
    `,
  }));
}, 240_000);

afterAll(() => world?.stop(), 60_000);

async function shot(name: string, scrollTo: string): Promise<void> {
  violations.push(...(await photographAtBothSizes(page, `batch-${name}`, { scrollTo: () => page.getByTestId(scrollTo).first() })));
}

const search = () => page.getByRole('combobox', { name: 'Search repositories' });
const rows = () => page.getByTestId('browse-row');
const checkedSlugs = () => page.locator('[data-testid="browse-row"][aria-checked="true"]').evaluateAll((nodes) => nodes.map((node) => `${node.getAttribute('data-project')}/${node.getAttribute('data-slug')}`));
const slugAt = async (index: number) => `${await rows().nth(index).getAttribute('data-project')}/${await rows().nth(index).getAttribute('data-slug')}`;
type DesktopCall = ['setProgress' | 'notify', Record<string, unknown>];
/** What the desktop shell was told since the last call of this (the record is emptied). */
const takeDesktopCalls = async () => (await page.evaluate('window.__desktopCalls.splice(0)')) as DesktopCall[];
const notices = (calls: DesktopCall[]) => calls.filter(([kind]) => kind === 'notify').map(([, value]) => value);
const srcFolder = () => path.join(world.userHome, 'src');
/** Whether the element is inside the window as it is now, without scrolling. */
const inView = (testId: string) =>
  page.getByTestId(testId).first().evaluate((node) => {
    const box = node.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= node.ownerDocument.documentElement.clientHeight && box.height > 0;
  });

describe('cloning several repositories as one batch', () => {
  it('checks rows by keyboard and by mouse, and a space typed after a word stays in the search', { timeout: 60_000 }, async () => {
    await expect.poll(() => rows().count(), { timeout: 30_000 }).toBe(11);
    await search().focus();
    // The box is empty: Space checks the highlighted (first) row.
    await page.keyboard.press('Space');
    const first = await slugAt(0);
    expect(await checkedSlugs()).toEqual([first]);
    // Shift+Down twice: the rows passed over and reached are checked too.
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    expect(await checkedSlugs()).toEqual([first, await slugAt(1), await slugAt(2)]);
    // Space on a checked row unchecks it.
    await page.keyboard.press('Space');
    expect(await checkedSlugs()).toEqual([first, await slugAt(1)]);
    expect(await page.getByTestId('browse-checked-count').textContent()).toBe('2 repositories checked');

    // By mouse: the checkbox of row 5, then Shift+click on row 3's extends back to it.
    await rows().nth(4).getByTestId('browse-row-check').click();
    await rows().nth(3).getByTestId('browse-row-check').click({ modifiers: ['Shift'] });
    expect(await checkedSlugs()).toEqual([first, await slugAt(1), await slugAt(3), await slugAt(4)]);
    // A click on the row itself opens it (its mirrors below), and checks nothing.
    await rows().nth(5).click();
    expect(await checkedSlugs()).toHaveLength(4);

    // Typing a name with a space: the space is text, not a check.
    await search().focus();
    await page.keyboard.type('we');
    await page.keyboard.press('Space');
    expect(await search().inputValue()).toBe('we ');
    await search().fill('');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBeGreaterThan(10);
    // Checked rows are kept across searches.
    expect(await checkedSlugs()).toHaveLength(4);
    expect(await page.getByTestId('batch-where').textContent()).toContain(srcFolder());
    await shot('1-checked', 'browse-selection');
  });

  it('clones the checked repositories as one batch whose card is in sight and reaches 4 of 4', { timeout: 120_000 }, async () => {
    const chosen = await checkedSlugs();
    await takeDesktopCalls();
    await page.getByRole('button', { name: 'Clone 4 repositories' }).click();
    const card = page.getByTestId('clone-batch').first();
    await expect.poll(() => card.count(), { timeout: 20_000 }).toBe(1);
    // The checks are used up, and the card the button made is on screen without scrolling.
    expect(await checkedSlugs()).toEqual([]);
    await expect.poll(() => inView('clone-batch'), { timeout: 5_000 }).toBe(true);
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 10_000 }).toBe('running');
    expect(await card.getByTestId('batch-count').textContent()).toMatch(/^[0-3] of 4 there$/);
    // One card for the batch: its repositories' cards are inside it, not loose in the list.
    expect(await page.locator('[data-testid="clone-jobs"] > [data-testid="clone-job"]').count()).toBe(0);
    await shot('2-running', 'clone-batch');

    await expect.poll(() => card.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    expect(await card.getAttribute('data-done')).toBe('4');
    expect(await card.getByTestId('batch-count').textContent()).toBe('4 of 4 there');
    expect(await card.getByTestId('batch-state').textContent()).toBe('Done');
    for (const reference of chosen) expect(existsSync(path.join(srcFolder(), reference.split('/')[1]!, '.git'))).toBe(true);
    // The taskbar followed the batch as one bar to its end, and one notice covered all four.
    const calls = await takeDesktopCalls();
    const fractions = calls.filter(([kind]) => kind === 'setProgress').map(([, value]) => value.fraction as number | undefined);
    expect(fractions.some((fraction) => fraction !== undefined && fraction > 0 && fraction < 1)).toBe(true);
    expect(fractions.at(-1)).toBeUndefined();
    expect(notices(calls)).toEqual([{ title: 'Cloned 4 repositories', body: `Into ${srcFolder()}.` }]);

    await card.getByTestId('batch-toggle').click();
    expect(await card.getByTestId('clone-job').count()).toBe(4);
    expect(await card.locator('[data-testid="clone-job"][data-state="done"]').count()).toBe(4);
    // Why that many ran at once, in the helper's words.
    expect(await card.getByTestId('batch-why').textContent()).toMatch(/^\d+ at once/);
    await shot('3-done-expanded', 'clone-batch');
    await card.getByTestId('batch-toggle').click();
  });

  it('clones all of a project; a taken folder is listed with its hint, and Retry failed clones it once free', { timeout: 150_000 }, async () => {
    await takeDesktopCalls();
    const taken = path.join(srcFolder(), 'lib-b');
    await mkdir(taken, { recursive: true });
    await writeFile(path.join(taken, 'notes.txt'), 'mine\n');

    await page.getByLabel('Project', { exact: true }).selectOption('LIBS');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(3);
    await page.getByRole('button', { name: 'Clone all of LIBS' }).click();
    const card = page.locator('[data-testid="clone-batch"]').first();
    await expect.poll(() => card.getAttribute('data-total'), { timeout: 20_000 }).toBe('2');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    expect(await card.getAttribute('data-done')).toBe('1');
    expect(await card.getByTestId('batch-state').textContent()).toBe('1 failed');
    expect(notices(await takeDesktopCalls())).toEqual([{ title: '1 of 2 repositories cloned', body: '1 failed: LIBS/lib-b.' }]);
    // The archived repository is left out; the taken folder's repository is named, with why and what to do.
    const failure = card.getByTestId('batch-failure');
    expect(await failure.getAttribute('data-repository')).toBe('LIBS/lib-b');
    expect((await failure.textContent())!.length).toBeGreaterThan('LIBS/lib-b'.length + 10);
    expect(existsSync(path.join(srcFolder(), 'lib-a', '.git'))).toBe(true);
    expect(existsSync(path.join(srcFolder(), 'lib-old'))).toBe(false);
    await expect.poll(() => inView('batch-failures'), { timeout: 5_000 }).toBe(true);
    await shot('4-failed', 'clone-batch');

    await rm(taken, { recursive: true });
    const batchesBefore = await page.getByTestId('clone-batch').count();
    await card.getByTestId('batch-retry').click();
    await expect.poll(() => page.getByTestId('clone-batch').count(), { timeout: 20_000 }).toBe(batchesBefore + 1);
    const retry = page.locator('[data-testid="clone-batch"]').first();
    expect(await retry.getAttribute('data-total')).toBe('1');
    await expect.poll(() => retry.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    expect(await retry.getAttribute('data-done')).toBe('1');
    expect(existsSync(path.join(srcFolder(), 'lib-b', '.git'))).toBe(true);
    // The first batch no longer offers a retry: its failure was retried above.
    const first = page.locator('[data-testid="clone-batch"]').nth(1);
    expect(await first.getByTestId('batch-retry').count()).toBe(0);
    expect(await first.getByTestId('batch-failures').textContent()).toContain('retried in the batch above');
    await shot('5-retried', 'clone-jobs');
  });

  it('puts each repository in a folder of its project when asked', { timeout: 60_000 }, async () => {
    await page.getByLabel('Project', { exact: true }).selectOption('');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(11);
    const mobile = page.locator('[data-testid="browse-row"][data-slug="mobile"]');
    await mobile.getByTestId('browse-row-check').click();
    await page.getByTestId('batch-by-project').check();
    expect(await page.getByTestId('batch-where').textContent()).toContain(`${srcFolder()}/PROJECT/<repository>`);
    const batchesBefore = await page.getByTestId('clone-batch').count();
    await page.getByRole('button', { name: 'Clone 1 repository' }).click();
    await expect.poll(() => page.getByTestId('clone-batch').count(), { timeout: 20_000 }).toBe(batchesBefore + 1);
    const card = page.getByTestId('clone-batch').first();
    expect(await card.getByTestId('batch-state').count()).toBe(1);
    expect(await card.textContent()).toContain('CORE/mobile');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(existsSync(path.join(srcFolder(), 'CORE', 'mobile', '.git'))).toBe(true);
  });

  it('saves the checked repositories as a team file', { timeout: 30_000 }, async () => {
    await rows().nth(0).getByTestId('browse-row-check').click();
    await rows().nth(6).getByTestId('browse-row-check').click();
    const chosen = await checkedSlugs();
    // The layout chosen for the last batch is still chosen.
    expect(await page.getByTestId('batch-by-project').isChecked()).toBe(true);
    await page.getByTestId('batch-by-project').uncheck();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-team-file').click()]);
    const parsed = parseTeamFile(await readFile((await download.path())!, 'utf8'));
    expect(parsed).toEqual({ ok: true, team: { mirrorCloneTeam: 1, primary: world.topology.primary.baseUrl, projects: [], repositories: chosen, layout: 'flat', protocol: 'https' } });
    await page.getByRole('button', { name: 'Uncheck all' }).click();
  });

  it('refuses a malformed team file and one for a primary not connected here, a line per problem', { timeout: 30_000 }, async () => {
    const open = (name: string, text: string) => page.getByTestId('team-file-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await open('broken.json', JSON.stringify({ mirrorCloneTeam: 1, primary: 'ftp://bitbucket.example.com', projects: ['not a key'] }));
    await expect.poll(() => page.getByTestId('team-file-problem').allTextContents(), { timeout: 5_000 }).toEqual([
      'primary: "ftp://bitbucket.example.com" is not an http(s) address',
      'projects: "not a key" is not a project key',
    ]);
    expect(await page.getByTestId('team-file-clone').count()).toBe(0);

    await open('elsewhere.json', JSON.stringify({ mirrorCloneTeam: 1, primary: 'https://bitbucket.elsewhere.example', projects: ['LIBS'] }));
    await expect.poll(() => page.getByTestId('team-file-problem').allTextContents(), { timeout: 5_000 }).toEqual([
      'it is for https://bitbucket.elsewhere.example, which is not connected here: connect it above first (the file holds no token)',
    ]);
    expect(await page.getByTestId('team-file-clone').count()).toBe(0);
    await shot('6-team-file-refused', 'team-file');
  });

  it('shows what a good team file will do, and clones it on request, leaving alone what is there', { timeout: 120_000 }, async () => {
    const batchesBefore = await page.getByTestId('clone-batch').count();
    const team = { mirrorCloneTeam: 1, primary: `${world.topology.primary.baseUrl}/`, projects: ['LIBS'], repositories: ['CORE/docs'] };
    await page.getByTestId('team-file-input').setInputFiles({ name: 'team.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(team)) });
    const summary = page.getByTestId('team-file-summary');
    await expect.poll(() => summary.count(), { timeout: 5_000 }).toBe(1);
    expect(await summary.textContent()).toContain('LIBS');
    expect(await summary.textContent()).toContain('CORE/docs');
    // Shown, not run.
    expect(await page.getByTestId('clone-batch').count()).toBe(batchesBefore);
    await shot('7-team-file', 'team-file');

    await page.getByTestId('team-file-clone').click();
    const card = page.getByTestId('clone-batch').first();
    await expect.poll(() => page.getByTestId('clone-batch').count(), { timeout: 20_000 }).toBe(batchesBefore + 1);
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 90_000 }).toBe('done');
    expect(await card.getAttribute('data-total')).toBe('3');
    expect(await card.getAttribute('data-done')).toBe('3');
    expect(await card.textContent()).toContain('2 already there');
    expect(existsSync(path.join(srcFolder(), 'docs', '.git'))).toBe(true);
    expect(await page.getByTestId('team-file').count()).toBe(0);
  });

  it('cancels a running batch: nothing left half-made, and what was not cloned offered again', { timeout: 90_000 }, async () => {
    await page.getByLabel('Project', { exact: true }).selectOption('BIG');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(2);
    const batchesBefore = await page.getByTestId('clone-batch').count();
    await page.getByRole('button', { name: 'Clone all of BIG' }).click();
    await expect.poll(() => page.getByTestId('clone-batch').count(), { timeout: 20_000 }).toBe(batchesBefore + 1);
    const card = page.getByTestId('clone-batch').first();
    // Bytes are moving before it is cancelled.
    await expect.poll(async () => (await card.getByTestId('batch-figure').first().textContent()) !== '0 B', { timeout: 30_000 }).toBe(true);
    await card.getByRole('button', { name: 'Cancel all' }).click();
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 30_000 }).toBe('cancelled');
    expect(await card.getByTestId('batch-state').textContent()).toBe('Cancelled');
    expect(await card.getByTestId('batch-retry').textContent()).toBe('Retry 2 not cloned');
    expect(existsSync(path.join(srcFolder(), 'assets'))).toBe(false);
    expect(existsSync(path.join(srcFolder(), 'history'))).toBe(false);
    await page.getByLabel('Project', { exact: true }).selectOption('');
  });

  it('finds its batches again after a reload, a failure cloned since no longer offered for retry', { timeout: 60_000 }, async () => {
    const before = await page.getByTestId('clone-batch').evaluateAll((nodes) => nodes.map((node) => `${node.getAttribute('data-total')}:${node.getAttribute('data-done')}`));
    await page.reload();
    await expect.poll(() => page.getByTestId('clone-batch').evaluateAll((nodes) => nodes.map((node) => `${node.getAttribute('data-total')}:${node.getAttribute('data-done')}`)), { timeout: 20_000 }).toEqual(before);
    const libs = page.locator('[data-testid="clone-batch"][data-failed="1"]');
    expect(await libs.getByTestId('batch-retry').count()).toBe(0);
    expect(await libs.getByTestId('batch-failure').textContent()).toContain('Cloned since.');
  });

  it('stays readable at 200% zoom, the bar and the cards included', { timeout: 60_000 }, async () => {
    const { page: zoomed } = await world.openPage({ context: at200PercentZoom });
    await expect.poll(() => zoomed.getByTestId('browse-row').count(), { timeout: 20_000 }).toBe(11);
    await zoomed.getByTestId('browse-row-check').first().click();
    await expect.poll(() => zoomed.getByTestId('clone-batch').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await zoomed.getByTestId('browse-selection').scrollIntoViewIfNeeded();
    expect(await sidewaysOverflow(zoomed, '.content')).toBeLessThanOrEqual(0);
    await zoomed.screenshot({ path: path.join(screenshotDir, 'batch-8-zoom-bar.png') });
    await zoomed.getByTestId('clone-batch').first().scrollIntoViewIfNeeded();
    expect(await sidewaysOverflow(zoomed, '.content')).toBeLessThanOrEqual(0);
    await zoomed.screenshot({ path: path.join(screenshotDir, 'batch-8-zoom-card.png') });
  });

  it('raised no page errors and no serious accessibility findings', () => {
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });
});
