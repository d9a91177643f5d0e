/**
 * Starting a clone in real Chromium against a real helper and an emulated Bitbucket (a release
 * that does not say a repository's size to a token): the default clone folder chosen in Settings
 * (saved as typed, remembered after a reload) fills the Clone panel; the destination is checked
 * as it is typed (missing parent, created on request; a folder with files; a file in the way; a
 * finished clone of the same repository, with Show in Local clones); Clone always says why it
 * cannot start; a started clone's card comes into view and the status bar and sidebar count it.
 * Screens at 1280x860 and 900x700, light and dark (test-results/screenshots/clone-start-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { photographAtBothSizes, photographStep, windowSizes } from '../support/photograph';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { findMirrors } from '../support/app-actions';

const MB = 1024 * 1024;
const large = windowSizes.large;

let world: E2eWorld;
let page: Page;
let errors: string[];
const violations: string[] = [];

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      version: '9.4.0',
      primary: { delayMs: 20 },
      // Capped so a clone runs long enough to be seen running.
      mirrors: [{ name: 'near', delayMs: 1, bandwidthBytesPerSec: 2 * MB }],
      projects: [{ key: 'PROJ', repos: [{ slug: 'app', sizeBytes: 6 * MB, seed: 3 }, { slug: 'tools' }] }],
    },
  });
  await world.connectPrimary();
  ({ page, errors } = await world.openPage({ context: { viewport: large } }));
}, 240_000);

afterAll(() => world?.stop(), 60_000);

async function shot(name: string, scrollTo: string): Promise<void> {
  violations.push(...(await photographAtBothSizes(page, `clone-start-${name}`, { scrollTo: () => page.getByTestId(scrollTo) })));
}

const parentField = () => page.getByLabel('Parent folder');
const folderField = () => page.getByLabel(/^Folder name/);
const cloneButton = () => page.getByRole('button', { name: 'Clone', exact: true });
const destination = () => page.getByTestId('clone-destination-text');
/** What a screen reader says about the Clone button: the text of what describes it. */
const cloneDescription = () =>
  cloneButton().evaluate((button) => (button.getAttribute('aria-describedby') ?? '').split(' ').map((id: string) => button.ownerDocument.getElementById(id)?.textContent ?? '').join(' ').trim());
async function retype(field: ReturnType<Page['getByLabel']>, text: string): Promise<void> {
  await field.fill('');
  await field.pressSequentially(text, { delay: 15 });
}
/** Whether the element is inside the window as it is now, without scrolling. */
const inView = (selector: string) =>
  page.locator(selector).first().evaluate((node) => {
    const box = node.getBoundingClientRect();
    return box.top >= 0 && box.top < node.ownerDocument.documentElement.clientHeight && box.height > 0;
  });

describe('the default clone folder', () => {
  it('is the home src folder until chosen in Settings, where it saves itself as typed and is remembered', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const field = page.getByLabel('Default clone folder');
    await expect.poll(() => field.inputValue(), { timeout: 20_000 }).toBe(path.join(world.userHome, 'src'));
    // No Save button of its own: it saves after a pause in typing and says so beside itself.
    expect(await page.getByTestId('default-clone-folder-setting').getByRole('button', { name: 'Save' }).count()).toBe(0);
    await retype(field, 'projects');
    await expect.poll(() => page.getByTestId('defaultCloneFolder-error').textContent(), { timeout: 20_000 }).toContain('is not a full path');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await shot('1-settings-refused', 'default-clone-folder-setting');
    const chosen = path.join(world.workspace, 'projects');
    await retype(field, chosen);
    await expect.poll(() => page.getByTestId('defaultCloneFolder-status').textContent(), { timeout: 20_000 }).toBe('Saved');
    expect(await page.getByTestId('defaultCloneFolder-error').count()).toBe(0);
    expect((await (await world.client()).call('settings.get', {})).defaultCloneFolder).toBe(chosen);
    await shot('2-settings-saved', 'default-clone-folder-setting');

    await page.reload();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect.poll(() => page.getByLabel('Default clone folder').inputValue(), { timeout: 20_000 }).toBe(chosen);
  });
});

describe('starting a clone', () => {
  it('starts the parent folder with the default, and offers to create it while it does not exist', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Repositories', exact: true }).click();
    await findMirrors(page, 'PROJ/app');
    const chosen = path.join(world.workspace, 'projects');
    expect(await parentField().inputValue()).toBe(chosen);
    // The size is not said to a token by this release: "size unknown", never "0 B".
    await expect.poll(() => page.getByTestId('clone-panel-facts').textContent(), { timeout: 20_000 }).toMatch(/^size unknown · changed /);
    await expect.poll(() => destination().textContent(), { timeout: 20_000 }).toBe(`${chosen} does not exist yet. Create it, or choose another folder.`);
    expect(await cloneButton().isDisabled()).toBe(true);
    expect(await cloneDescription()).toContain(`${chosen} does not exist yet.`);
    await shot('3-parent-missing', 'clone-panel');

    await page.getByRole('button', { name: `Create ${chosen}` }).click();
    await expect.poll(() => destination().textContent(), { timeout: 20_000 }).toBe(`Clones into ${path.join(chosen, 'app')}`);
    expect(existsSync(chosen)).toBe(true);
    expect(await cloneButton().isDisabled()).toBe(false);
  });

  it('says as it is typed that a folder exists or a file is in the way, and Clone says why it waits', { timeout: 120_000 }, async () => {
    const other = path.join(world.workspace, 'other');
    await mkdir(path.join(other, 'app'), { recursive: true });
    await writeFile(path.join(other, 'app', 'notes.txt'), 'mine');
    await retype(parentField(), other);
    await expect.poll(() => destination().textContent(), { timeout: 20_000 }).toBe(`${path.join(other, 'app')} already exists and has files in it. Choose another folder name.`);
    expect(await cloneButton().isDisabled()).toBe(true);
    expect(await cloneDescription()).toContain('already exists');
    expect(await folderField().getAttribute('aria-invalid')).toBe('true');
    await shot('4-exists', 'clone-panel');

    const file = path.join(world.workspace, 'a-file');
    await writeFile(file, 'not a folder');
    await retype(parentField(), file);
    await expect.poll(() => destination().textContent(), { timeout: 20_000 }).toBe(`${file} is a file, not a folder. Choose another folder.`);
    expect(await parentField().getAttribute('aria-invalid')).toBe('true');

    // Another folder for this clone, and offered as the new default.
    await retype(parentField(), other);
    await retype(folderField(), 'app-2');
    await expect.poll(() => destination().textContent(), { timeout: 20_000 }).toBe(`Clones into ${path.join(other, 'app-2')}`);
    await shot('5-use-as-default', 'clone-panel');
    await page.getByRole('button', { name: 'Use this parent folder as the default' }).click();
    await expect.poll(() => page.getByText('Saved as the default clone folder').count(), { timeout: 20_000 }).toBe(1);
    expect((await (await world.client()).call('settings.get', {})).defaultCloneFolder).toBe(other);
    expect(await page.getByRole('button', { name: 'Use this parent folder as the default' }).count()).toBe(0);
  });

  it('brings the new clone into view, and counts it in the status bar and the sidebar while it runs', { timeout: 180_000 }, async () => {
    // The top of the page, as a person would be after choosing a repository.
    await page.getByTestId('repository-browser').scrollIntoViewIfNeeded();
    expect(await page.getByTestId('helper-state').textContent()).toBe('ready');
    await cloneButton().click();
    const card = '[data-testid="clone-job"]';
    await expect.poll(() => page.locator(card).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => inView(card), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('helper-state').textContent(), { timeout: 10_000 }).toBe('1 clone running');
    expect(await page.getByTestId('running-clones-count').textContent()).toBe('1 1 clone running');
    expect(await page.getByTestId('running-clones-count').isVisible()).toBe(true);
    await photographStep(page, 'clone-start-7-started-1280x860', { fullPage: false, axe: false });
    await expect.poll(() => page.locator(card).getAttribute('data-state'), { timeout: 120_000 }).toBe('done');
    await expect.poll(() => page.getByTestId('helper-state').textContent()).toBe('ready');
    expect(await page.getByTestId('running-clones-count').count()).toBe(0);
    expect(existsSync(path.join(world.workspace, 'other', 'app-2', '.git'))).toBe(true);
  });

  it('says a finished clone of this repository is already there, and shows it in Local clones', { timeout: 120_000 }, async () => {
    await expect.poll(() => destination().textContent(), { timeout: 20_000 }).toBe(`${path.join(world.workspace, 'other', 'app-2')} is already a clone of this repository.`);
    expect(await cloneButton().isDisabled()).toBe(true);
    await shot('8-already-cloned', 'clone-panel');
    await page.getByTestId('clone-destination').getByRole('button', { name: 'Show in Local clones' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Local clones');
    await expect.poll(() => page.locator(`[data-testid="local-clone"][data-path="${path.join(world.workspace, 'other', 'app-2')}"]`).count(), { timeout: 20_000 }).toBe(1);
  });

  it('passed axe on every screen with no page errors', () => {
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
