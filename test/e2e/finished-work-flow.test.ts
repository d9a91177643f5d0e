/**
 * Finished work in real Chromium against a real helper process and an emulated Bitbucket (a
 * primary and a near mirror; PROJ and TEAM each hold a `monorepo`): clone cards titled by
 * repository; a clone into a taken folder fails, its Retry is refused while the folder is taken
 * and, once it is free, the retry takes the failed card's place; a failed card whose folder has
 * since received a clone offers no Retry; Open and "Show in Local clones" on a finished card;
 * Clear finished by keyboard; the Activity history across a page reload and a helper restart;
 * the editor setting (none found, a stand-in `code` found, a hostile command refused, a custom
 * one used). The helper's PATH starts with recording stand-ins for xdg-open and a terminal
 * (and later `code`). Screens photographed at 1280×860 and 900×700, light and dark, axe on each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, realpath, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ContractClient } from '../../shared/contract';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { photographAtBothSizes, windowSizes } from '../support/photograph';
import { findMirrors } from '../support/app-actions';
import { cloneAndWait } from '../support/clone-job';
import { recordedRuns, waitForRuns, writeRecordingPrograms } from '../support/recording-programs';
import type { RunningHelper } from '../support/helper-process';

const large = windowSizes.large;

let world: E2eWorld;
let client: ContractClient;
let helper: RunningHelper;
let page: Page;
let errors: string[];
let programs: string;
const folders = { one: '', two: '', three: '' };

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 30 },
      mirrors: [{ name: 'near', delayMs: 1 }],
      projects: [
        { key: 'PROJ', repos: [{ slug: 'monorepo', seed: 1 }, { slug: 'app', seed: 2 }] },
        { key: 'TEAM', repos: [{ slug: 'monorepo', seed: 3 }] },
      ],
    },
    // Kept across the restart below, so the open page reconnects on its own.
    helperEnv: { MIRROR_CLONE_HELPER_TOKEN: randomBytes(24).toString('hex') },
    async prepare({ tempDir }) {
      programs = path.join(tempDir, 'bin');
      await mkdir(programs);
      // No editor yet: one is "installed" later in the test.
      await writeRecordingPrograms(programs, ['xdg-open', 'x-terminal-emulator']);
      return { PATH: `${programs}:${process.env.PATH}`, TERMINAL: undefined };
    },
  });
  helper = world.helper;
  client = await world.client();
  await world.connectPrimary();
  for (const name of ['one', 'two', 'three'] as const) {
    folders[name] = path.join(world.workspace, name);
    await mkdir(folders[name]);
  }
  ({ page, errors } = await world.openPage({ context: { viewport: large } }));
  await page.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
}, 240_000);

afterAll(() => world?.stop(), 60_000);

/** Photographs the step light and dark at 1280×860 and at 900×700, with axe on both sizes. */
async function shot(name: string, scrollTo?: () => Locator): Promise<void> {
  expect(await photographAtBothSizes(page, `finished-${name}`, { scrollTo })).toEqual([]);
}

/** A sidebar entry (a card's "Manage … in Settings" would match a looser name). */
const section = (name: string) => page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name, exact: true });
const cards = () => page.getByTestId('clone-job');
const cardIds = () => cards().evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-job-id') ?? ''));
const cardTitles = () => page.getByTestId('job-title').allTextContents();

/** Finds the repository, sets the folders, clicks Clone; returns the new card. */
async function cloneInUi(reference: string, parent: string, folderName = ''): Promise<Locator> {
  await findMirrors(page, reference);
  await page.getByLabel('Parent folder').fill(parent);
  await page.getByLabel(/^Folder name/).fill(folderName);
  const before = await cardIds();
  await page.getByRole('button', { name: 'Clone', exact: true }).click();
  let jobId = '';
  await expect.poll(async () => (jobId = (await cardIds()).find((id) => !before.includes(id)) ?? ''), { timeout: 30_000 }).not.toBe('');
  return page.locator(`[data-testid="clone-job"][data-job-id="${jobId}"]`);
}

/**
 * Starts a clone as another window or the command line would, bypassing this panel's own check of
 * the destination (which would not let a clone into a taken folder start): its card shows here too.
 */
async function cloneElsewhere(reference: string, parent: string): Promise<Locator> {
  const { jobId } = await client.call('clone.start', { repository: reference, parentDirectory: parent });
  const card = page.locator(`[data-testid="clone-job"][data-job-id="${jobId}"]`);
  await card.waitFor({ timeout: 30_000 });
  return card;
}

const settled = (card: Locator) => expect.poll(() => card.getAttribute('data-state'), { timeout: 90_000 }).toMatch(/^(done|failed|cancelled)$/);

const isFocused = (locator: Locator) => locator.evaluate((node) => node === node.ownerDocument.activeElement);

/** Whether the element is wholly inside the window, as seen without scrolling. */
async function inView(locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.y + Math.min(box.height, 120) <= viewport.height;
}

describe('finished clones', () => {
  it('starts with an empty Activity that says what will appear there', { timeout: 60_000 }, async () => {
    await section('Activity').click();
    await page.getByTestId('activity-empty').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('activity-empty').textContent()).toContain('Clones, switches to another server and local mirror syncs that failed appear here');
    await shot('1-activity-empty');
    await section('Repositories').click();
  });

  it('titles cards by repository: two monorepos from different projects are told apart', { timeout: 180_000 }, async () => {
    const proj = await cloneInUi('PROJ/monorepo', folders.one);
    await settled(proj);
    const team = await cloneInUi('TEAM/monorepo', folders.two);
    await settled(team);
    expect(await proj.getAttribute('data-state')).toBe('done');
    expect(await team.getAttribute('data-state')).toBe('done');
    expect(await proj.getByTestId('job-title').textContent()).toBe('PROJ/monorepo');
    expect(await team.getByTestId('job-title').textContent()).toBe('TEAM/monorepo');
    // The folder is the secondary line; with one primary connected, no host is added.
    expect(await proj.getByTestId('job-folder').textContent()).toBe(path.join(folders.one, 'monorepo'));
    expect(await team.getByTestId('job-folder').textContent()).toBe(path.join(folders.two, 'monorepo'));
    expect(await page.getByTestId('job-host').count()).toBe(0);
    // Newest first.
    expect(await cardTitles()).toEqual(['TEAM/monorepo', 'PROJ/monorepo']);
    await shot('2-titled', () => page.getByTestId('clone-jobs'));
  });

  it('refuses a Retry into a folder still taken, and a retry that succeeds takes the failed card\u2019s place', { timeout: 180_000 }, async () => {
    const blocker = path.join(folders.one, 'app');
    await mkdir(blocker);
    await writeFile(path.join(blocker, 'notes.txt'), 'mine\n');
    const failed = await cloneElsewhere('PROJ/app', folders.one);
    await settled(failed);
    expect(await failed.getAttribute('data-state')).toBe('failed');
    expect(await failed.getByTestId('job-error').textContent()).toContain('already exists and is not empty');
    expect(await failed.getByTestId('job-title').textContent()).toBe('PROJ/app');
    const failedId = (await failed.getAttribute('data-job-id'))!;
    const position = (await cardIds()).indexOf(failedId);

    // The folder is still taken: Retry says so instead of starting a clone that can only fail.
    await failed.getByRole('button', { name: 'Retry', exact: true }).click();
    await expect.poll(() => failed.getByTestId('job-retry-error').textContent(), { timeout: 20_000 }).toContain('still exists and is not empty');
    expect(await failed.getByTestId('job-retry-error').textContent()).toContain('Move or remove it, then Retry');
    expect(await cardIds()).toHaveLength(3);
    await shot('3-retry-refused', () => failed);

    await rm(blocker, { recursive: true });
    // From the keyboard, as a person who reads the error would.
    await failed.getByRole('button', { name: 'Retry', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await cardIds()).includes(failedId), { timeout: 30_000 }).toBe(false);
    const ids = await cardIds();
    expect(ids).toHaveLength(3);
    const retried = page.locator(`[data-testid="clone-job"][data-job-id="${ids[position]}"]`);
    await settled(retried);
    expect(await retried.getAttribute('data-state')).toBe('done');
    expect(await retried.getByTestId('job-title').textContent()).toBe('PROJ/app');
    // One card for it, in the failed one's place.
    expect((await cardTitles()).filter((title) => title === 'PROJ/app')).toHaveLength(1);
    expect(await cardIds()).toEqual(ids);
    expect(existsSync(path.join(blocker, '.git'))).toBe(true);
    expect((await client.call('clone.jobs', {})).some((job) => job.jobId === failedId)).toBe(false);
  });

  it('offers no Retry on a failed card once a clone has finished in its folder', { timeout: 180_000 }, async () => {
    const blocker = path.join(folders.two, 'app');
    await mkdir(blocker);
    await writeFile(path.join(blocker, 'notes.txt'), 'mine\n');
    const failed = await cloneElsewhere('PROJ/app', folders.two);
    await settled(failed);
    expect(await failed.getByRole('button', { name: 'Retry', exact: true }).count()).toBe(1);
    await rm(blocker, { recursive: true });
    // Cloned again from the panel, not by Retry.
    const again = await cloneInUi('PROJ/app', folders.two);
    await settled(again);
    expect(await again.getAttribute('data-state')).toBe('done');
    await expect.poll(() => failed.getByRole('button', { name: 'Retry', exact: true }).count(), { timeout: 10_000 }).toBe(0);
    expect(await failed.getByTestId('job-superseded').textContent()).toContain('A clone has finished in this folder since');
    expect(await failed.getByRole('button', { name: 'Show in Local clones' }).count()).toBe(1);
    // The helper refuses it too (another window may still show the button).
    await expect(client.call('clone.retry', { jobId: (await failed.getAttribute('data-job-id'))! })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already holds a finished clone') });
    await shot('4-superseded', () => failed);
  });

  it('opens a finished clone in the file manager and a terminal, and says how to choose an editor when there is none', { timeout: 60_000 }, async () => {
    const card = cards().filter({ has: page.getByTestId('job-folder').getByText(path.join(folders.one, 'monorepo'), { exact: true }) });
    const clonePath = path.join(folders.one, 'monorepo');
    const real = await realpath(clonePath);
    await card.getByRole('button', { name: 'Open in file manager' }).click();
    await expect.poll(() => card.getByTestId('open-result').textContent(), { timeout: 10_000 }).toBe('Opened with xdg-open.');
    expect(await waitForRuns(programs, 'xdg-open', 1)).toEqual([{ cwd: real, args: [clonePath], token: '' }]);
    await card.getByRole('button', { name: 'Open in terminal' }).click();
    await expect.poll(() => card.getByTestId('open-result').textContent(), { timeout: 10_000 }).toBe('Opened with x-terminal-emulator.');
    expect(await waitForRuns(programs, 'x-terminal-emulator', 1)).toEqual([{ cwd: real, args: [], token: '' }]);

    // No editor on this machine and none chosen: the button says what to do, not "Editor".
    expect(await card.getByRole('button', { name: 'Open in editor' }).count()).toBe(0);
    const choose = card.getByRole('button', { name: 'Choose an editor…' });
    await shot('5-opened', () => card);
    await choose.click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor({ timeout: 10_000 });
    const editor = page.getByLabel('Editor', { exact: true });
    await expect.poll(() => isFocused(editor), { timeout: 10_000 }).toBe(true);
    expect(await inView(editor)).toBe(true);
    expect(await page.getByTestId('editors-found').textContent()).toContain('No editor was found on this machine');
    await shot('6-editor-none');
  });

  it('finds an editor once installed, saves the choice at once, and Editor opens with it', { timeout: 60_000 }, async () => {
    await writeRecordingPrograms(programs, ['code']);
    await section('Repositories').click();
    await section('Settings').click();
    await expect.poll(() => page.getByTestId('editors-found').textContent(), { timeout: 10_000 }).toBe('Found on this machine: Visual Studio Code.');
    const editor = page.getByLabel('Editor', { exact: true });
    expect(await editor.locator('option:checked').textContent()).toBe('Automatic: Visual Studio Code');
    await editor.selectOption({ label: 'Visual Studio Code' });
    await expect.poll(() => page.getByTestId('editor-status').textContent(), { timeout: 10_000 }).toBe('Saved');
    expect((await client.call('settings.get', {})).editor).toBe(path.join(programs, 'code'));
    await shot('7-editor-found');

    await section('Repositories').click();
    const card = cards().filter({ has: page.getByTestId('job-folder').getByText(path.join(folders.two, 'monorepo'), { exact: true }) });
    await card.getByRole('button', { name: 'Open in editor' }).click();
    await expect.poll(() => card.getByTestId('open-result').textContent(), { timeout: 10_000 }).toBe('Opened with code.');
    const clonePath = path.join(folders.two, 'monorepo');
    expect(await waitForRuns(programs, 'code', 1)).toEqual([{ cwd: await realpath(clonePath), args: [clonePath], token: '' }]);
  });

  it('refuses a command that would run a shell, and starts a custom one with its arguments as plain text', { timeout: 60_000 }, async () => {
    await section('Settings').click();
    const editor = page.getByLabel('Editor', { exact: true });
    await editor.selectOption({ label: 'Another command…' });
    const command = page.getByLabel('Editor command');
    await expect.poll(() => isFocused(command), { timeout: 5_000 }).toBe(true);
    // It starts from the command in use.
    expect(await command.inputValue()).toBe(path.join(programs, 'code'));
    await command.fill('');
    const pwned = path.join(world.workspace, 'pwned');
    await command.pressSequentially(`sh -c "touch ${pwned}"`, { delay: 15 });
    await command.press('Enter');
    await expect.poll(() => page.getByTestId('editor-error').textContent(), { timeout: 10_000 }).toContain('sh runs commands rather than opening a folder');
    expect((await client.call('settings.get', {})).editor).toBe(path.join(programs, 'code'));
    await shot('8-editor-refused');

    const hostile = `code --new-window '$(touch ${pwned})' "; rm -rf ~"`;
    await command.fill('');
    await command.pressSequentially(hostile, { delay: 15 });
    // Saved as the field is left.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByTestId('editor-status').textContent(), { timeout: 10_000 }).toBe('Saved');
    expect((await client.call('settings.get', {})).editor).toBe(hostile);
    expect(await page.getByTestId('editor-error').count()).toBe(0);

    await section('Local clones').click();
    const clonePath = path.join(folders.one, 'app');
    const local = page.locator(`[data-testid="local-clone"][data-path="${clonePath}"]`);
    await local.getByRole('button', { name: 'Open in editor' }).click();
    await expect.poll(() => local.getByTestId('open-result').textContent(), { timeout: 10_000 }).toBe('Opened with code.');
    const runs = await waitForRuns(programs, 'code', 2);
    expect(runs[1]).toEqual({ cwd: await realpath(clonePath), args: ['--new-window', `$(touch ${pwned})`, '; rm -rf ~', clonePath], token: '' });
    expect(existsSync(pwned)).toBe(false);
  });

  it('shows a finished clone in Local clones: its card in view and focused; a clone on the primary says so', { timeout: 120_000 }, async () => {
    // Several clones, so the one asked for is not simply the first on screen.
    const onPrimary = await cloneAndWait(client, { repository: 'PROJ/monorepo', primary: world.topology.primary.baseUrl, parentDirectory: folders.three, source: 'primary' });
    expect(onPrimary.state).toBe('done');
    await section('Repositories').click();
    const done = page.locator('[data-testid="clone-job"][data-state="done"]').filter({ has: page.getByTestId('job-folder').getByText(path.join(folders.two, 'app'), { exact: true }) });
    await done.getByRole('button', { name: 'Show in Local clones' }).click();
    await page.getByRole('heading', { name: 'Local clones', level: 1 }).waitFor({ timeout: 10_000 });
    const local = page.locator(`[data-testid="local-clone"][data-path="${path.join(folders.two, 'app')}"]`);
    await expect.poll(() => isFocused(local), { timeout: 10_000 }).toBe(true);
    expect(await local.getAttribute('data-highlighted')).toBe('true');
    expect(await inView(local)).toBe(true);
    await shot('9-shown-in-local-clones', () => local);

    const primaryCard = page.locator(`[data-testid="local-clone"][data-path="${onPrimary.result!.path}"]`);
    expect(await primaryCard.getByTestId('clone-source').textContent()).toBe('the primary itself');
    expect(await primaryCard.getByTestId('clone-source-why').textContent()).toBe('No mirror: it fetches straight from the primary. Chosen by you.');
    expect(await local.getByTestId('clone-source').textContent()).toBe('near');
    expect(await local.getByTestId('clone-source-why').textContent()).toMatch(/^[\d.]+ ms median vs primary/);
    // Switching the primary's clone to the closest mirror is history too.
    await primaryCard.getByRole('button', { name: 'Switch to closest' }).click();
    await expect.poll(() => primaryCard.getByTestId('switch-result').textContent(), { timeout: 60_000 }).toContain('Switched from Primary to near');
    await shot('10-primary-clone', () => primaryCard);
  });

  it('clears finished cards by keyboard; running ones would stay, outcomes stay in Activity', { timeout: 60_000 }, async () => {
    await section('Repositories').click();
    const clear = page.getByRole('button', { name: /^Clear finished/ });
    expect(await clear.textContent()).toBe(`Clear finished (${await cards().count()})`);
    await clear.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => cards().count(), { timeout: 10_000 }).toBe(0);
    expect(await page.getByTestId('jobs-cleared').textContent()).toMatch(/^Cleared \d+ finished clones\. Their outcomes stay in Activity\.$/);
    // The keyboard's place is kept: on the list's heading, not lost to the page.
    expect(await isFocused(page.getByRole('heading', { name: 'Clones', level: 2 }))).toBe(true);
    expect(await client.call('clone.jobs', {})).toEqual([]);
    await shot('11-cleared', () => page.getByTestId('jobs-cleared'));
    // A reload does not bring them back.
    await page.reload();
    await page.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
    await page.getByRole('heading', { name: 'Connect a primary' }).or(page.getByLabel('Paste a repository URL or PROJECT/repo')).first().waitFor({ timeout: 20_000 });
    expect(await cards().count()).toBe(0);
  });
});

describe('activity history', () => {
  it('lists clones, the failures with their reason, the switch and a failed sync; survives a reload and a helper restart', { timeout: 180_000 }, async () => {
    // A local mirror whose sync fails: every server refuses connections.
    const mirror = await client.call('cache.add', { repository: 'PROJ/app', primary: world.topology.primary.baseUrl });
    for (const name of ['primary', 'near']) world.topology.setFault(name, { kind: 'refuse' });
    try {
      const [synced] = await client.call('cache.sync', { id: mirror.id });
      expect(synced!.state).toBe('failed');
    } finally {
      for (const name of ['primary', 'near']) world.topology.setFault(name, { kind: 'none' });
    }

    await section('Activity').click();
    const entries = page.getByTestId('activity-entry');
    const summary = async () =>
      entries.evaluateAll((nodes) => nodes.map((node) => `${node.getAttribute('data-kind')}:${node.getAttribute('data-outcome')}`));
    // Newest first: the failed sync (the background schedule may have failed it once more meanwhile),
    // the switch, then the clones back to the first.
    const clonesAndSwitch = ['switch:done', 'clone:done', 'clone:done', 'clone:failed', 'clone:done', 'clone:failed', 'clone:done', 'clone:done'];
    await expect.poll(async () => (await summary()).filter((entry) => entry !== 'sync:failed'), { timeout: 20_000 }).toEqual(clonesAndSwitch);
    const seen = await summary();
    expect(seen[0]).toBe('sync:failed');
    const sync = entries.first();
    expect(await sync.textContent()).toContain('Local mirror sync failed PROJ/app');
    expect(await sync.getByTestId('activity-error').textContent()).toMatch(/\S/);
    expect(await entries.nth(1).textContent()).toContain('Switched PROJ/monorepo');
    expect(await entries.nth(1).textContent()).toContain('from Primary to near');
    const cloneFailure = page.locator('[data-testid="activity-entry"][data-kind="clone"][data-outcome="failed"]').first();
    expect(await cloneFailure.getByTestId('activity-error').textContent()).toContain('already exists and is not empty');
    expect(await page.locator('[data-testid="activity-entry"][data-kind="clone"]').filter({ hasText: 'TEAM/monorepo' }).count()).toBe(1);
    await shot('12-activity');

    // A finished clone is one press away in Local clones.
    const teamEntry = page.locator('[data-testid="activity-entry"][data-kind="clone"]').filter({ hasText: 'TEAM/monorepo' });
    expect(await teamEntry.getByRole('button', { name: 'Show in Local clones' }).count()).toBe(1);

    await page.reload();
    await page.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 20_000 });
    await section('Activity').click();
    await expect.poll(() => summary(), { timeout: 20_000 }).toEqual(seen);

    expect(errors).toEqual([]);

    // The helper stops and a new one starts on the same address, with the same data folder.
    const port = Number(new URL(helper.address.url).port);
    await helper.stop();
    helper = await world.startHelper({ port });
    await page.getByTestId('helper-connection').filter({ hasText: /^Connected$/ }).waitFor({ timeout: 60_000 });
    await expect.poll(() => summary(), { timeout: 20_000 }).toEqual(seen);
    expect(await entries.first().getByTestId('activity-error').textContent()).toMatch(/\S/);
    expect(await recordedRuns(programs, 'xdg-open')).toHaveLength(1);
    // While it was away, only the page's attempts to reconnect failed.
    expect(errors.filter((error) => !error.includes('ERR_CONNECTION_REFUSED'))).toEqual([]);
  });
});
