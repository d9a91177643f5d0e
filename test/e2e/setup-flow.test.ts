/**
 * "Get set up" in real Chromium against a real helper and an emulated Bitbucket whose mirrors
 * hold different projects (near: CORE; strict: LIBS, refusing Ed25519 keys). From an empty app:
 * the offer, the primary connected by typing at a person's pace, repositories checked by keyboard,
 * the key check over the servers they use (no key fits strict), HTTPS chosen for the batch, the
 * folder, one confirmation, and the summary of what is where with a taken folder's failure, its
 * hint and Retry. Then a second round: a repository on strict, a key of a type it accepts made and
 * uploaded from the path, checked again, and cloned over SSH. After each action the step's heading
 * and what the action changed are on screen without scrolling. Screens at 1280x860 and 900x700,
 * light and dark (test-results/screenshots/setup-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';
import { photographAtBothSizes } from '../support/photograph';
import { at200PercentZoom, sidewaysOverflow, startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { screenshotDir } from '../support/browser';
import { uploadPublicKey } from '../support/ssh-keys';

const run = promisify(execFile);
/** About a person's typing speed: each key reaches the page on its own. */
const humanTyping = { delay: 35 };

let world: E2eWorld;
let page: Page;
let errors: string[];
/** The two CORE repositories checked first (whichever the list shows first). */
let core: string[] = [];
const violations: string[] = [];

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 25 },
      mirrors: [{ name: 'near', delayMs: 1 }, { name: 'strict', delayMs: 1, refuseKeyTypes: ['ED25519'] }],
      projects: [
        { key: 'CORE', name: 'Core', repos: ['api', 'docs', 'web'].map((slug, index) => ({ slug, seed: index + 1, mirroredOn: ['near'] })) },
        { key: 'LIBS', name: 'Libraries', repos: [{ slug: 'lib-a', seed: 4, mirroredOn: ['strict'] }, { slug: 'lib-b', seed: 5, mirroredOn: ['strict'] }] },
      ],
    },
    // One key, on the primary already: it gets into the primary and near, not into strict.
    sshKeys: ['ed25519'],
    async prepare({ topology, userHome }) {
      const sshFolder = path.join(userHome, '.ssh');
      await uploadPublicKey(topology, path.join(sshFolder, 'id_ed25519.pub'));
      await writeFile(path.join(sshFolder, 'known_hosts'), [topology.primary, topology.mirrors.near!, topology.mirrors.strict!].map((instance) => `${instance.ssh!.knownHostsLine}\n`).join(''));
      // ssh finds ~/.ssh through the account's home, not HOME: name the keys this user's ssh would
      // try by default (id_rsa is made later, from the path).
      return { GIT_SSH_COMMAND: `ssh -F none -o IdentityFile=${path.join(sshFolder, 'id_rsa')} -o IdentityFile=${path.join(sshFolder, 'id_ed25519')}` };
    },
  });
  ({ page, errors } = await world.openPage({ context: { viewport: { width: 1280, height: 860 } } }));
}, 240_000);

afterAll(() => world?.stop(), 60_000);

const srcFolder = () => path.join(world.userHome, 'src');
const stepTitle = () => page.getByTestId('setup-step-title');
const rows = () => page.getByTestId('browse-row');
const checkedSlugs = () => page.locator('[data-testid="browse-row"][aria-checked="true"]').evaluateAll((nodes) => nodes.map((node) => `${node.getAttribute('data-project')}/${node.getAttribute('data-slug')}`));

/** The servers in the key check: the primary, and each mirror by name. */
const serversChecked = async () =>
  (await page.getByTestId('key-matrix-row').evaluateAll((nodes) => nodes.map((node) => (node.getAttribute('data-kind') === 'primary' ? 'primary' : `mirror ${node.getAttribute('data-server')}`)))).sort();

/** Inside the window as it is, with nothing scrolled. */
const inView = (locator: Locator): Promise<boolean> =>
  locator.first().evaluate((node) => {
    const box = node.getBoundingClientRect();
    const view = node.ownerDocument.documentElement;
    return box.height > 0 && box.top >= 0 && box.bottom <= view.clientHeight && box.left >= 0 && box.right <= view.clientWidth;
  });

/** What a person sees after an action: these, without scrolling. */
async function expectInView(...locators: Locator[]): Promise<void> {
  for (const locator of locators) await expect.poll(() => inView(locator), { timeout: 5_000 }).toBe(true);
}

/** The step showing has focus on its heading, which says where the person is. */
async function expectStep(n: number, title: string): Promise<void> {
  await expect.poll(() => stepTitle().textContent(), { timeout: 20_000 }).toBe(`Step ${n} of 5 ${title}`);
  expect(await page.evaluate("document.activeElement?.getAttribute('data-testid')")).toBe('setup-step-title');
  await expectInView(stepTitle());
}

/** Presses a control the way a keyboard does: focus on it, then Enter (or Space). */
async function pressOn(locator: Locator, key: 'Enter' | 'Space' = 'Enter'): Promise<void> {
  await locator.focus();
  await page.keyboard.press(key);
}

async function shot(name: string): Promise<void> {
  violations.push(...(await photographAtBothSizes(page, `setup-${name}`)));
}

/** Searches for one repository by typing, moves onto it and checks it (Space, or Enter: choosing, Enter checks too). */
async function checkRowNamed(slug: string, key: 'Space' | 'Enter' = 'Space'): Promise<void> {
  const search = page.getByRole('combobox', { name: 'Search repositories' });
  await search.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.type(slug, humanTyping);
  await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(1);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press(key);
}

describe('getting set up on day one', () => {
  it('is offered by the empty app, and starts at step 1 when no primary is connected', { timeout: 60_000 }, async () => {
    const offer = page.getByTestId('offer-setup');
    await expect.poll(() => offer.count(), { timeout: 20_000 }).toBe(1);
    await expectInView(offer);
    await shot('1-offer');
    await pressOn(offer);
    await expectStep(1, 'Connect your primary');
    expect(await page.locator('.sidebar__item[aria-current="page"]').textContent()).toBe('Get set up');
    // Nothing to go back to from the first step.
    expect(await page.getByTestId('setup-back').count()).toBe(0);
  });

  it('connects the primary typed at a person’s pace, then moves to choosing', { timeout: 60_000 }, async () => {
    await page.getByLabel('Bitbucket base URL').focus();
    await page.keyboard.type(world.topology.primary.baseUrl, humanTyping);
    await page.keyboard.press('Tab');
    await page.keyboard.type(world.topology.credentials.token, humanTyping);
    // Leaving the token field checks both: the answer shows below the button, in sight.
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByTestId('primary-check').textContent(), { timeout: 15_000 }).toMatch(/^✓ Bitbucket/);
    await expectInView(page.getByTestId('primary-check'), page.getByRole('button', { name: 'Connect' }));
    await shot('2-connect');
    await pressOn(page.getByRole('button', { name: 'Connect' }));
    await expectStep(2, 'Choose the repositories');
  });

  it('checks repositories by keyboard; Next says why it waits until something is chosen', { timeout: 60_000 }, async () => {
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(5);
    const next = page.getByTestId('setup-next');
    await expectInView(next);
    expect(await page.getByTestId('setup-next-why').textContent()).toBe('Check a repository, add a project, or open a team file first.');
    await pressOn(next);
    expect(await stepTitle().textContent()).toBe('Step 2 of 5 Choose the repositories');

    await page.getByRole('combobox', { name: 'Search repositories' }).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+ArrowDown');
    core = await checkedSlugs();
    expect(core).toHaveLength(2);
    expect(core.every((reference) => reference.startsWith('CORE/'))).toBe(true);
    await checkRowNamed('lib-a');
    await page.keyboard.press('Escape');
    await expect.poll(() => rows().count(), { timeout: 10_000 }).toBe(5);
    expect(new Set(await checkedSlugs())).toEqual(new Set([...core, 'LIBS/lib-a']));
    expect(await page.getByTestId('setup-chosen').textContent()).toBe('Chosen: 3 repositories');
    // The selection bar of Repositories (which would clone at once) is not part of this step.
    expect(await page.getByTestId('browse-selection').count()).toBe(0);
    await expectInView(page.getByTestId('setup-chosen'), next);
    expect(await page.getByTestId('setup-next-why').textContent()).toBe('');
    await shot('3-choose');
    await pressOn(next);
    await expectStep(3, 'Check your SSH keys');
  });

  it('finds no key that every server of the selection accepts, and takes HTTPS for this batch', { timeout: 90_000 }, async () => {
    const check = page.getByTestId('setup-key-check');
    await expect.poll(() => check.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    // The primary, and each mirror holding a chosen repository.
    expect(await serversChecked()).toEqual(['mirror near', 'mirror strict', 'primary']);
    expect(await page.locator('[data-testid="key-matrix-row"][data-server="strict"]').textContent()).toContain('refused');
    await expectInView(page.getByTestId('setup-keys-not-ok'));
    // SSH cannot go on as things are; Next says so.
    const next = page.getByTestId('setup-next');
    expect(await next.getAttribute('aria-disabled')).toBe('true');
    expect(await page.getByTestId('setup-next-why').textContent()).toBe('Choose HTTPS, or make a key every server accepts and check again.');
    // The way out offered: a key of a type every server takes, from the SSH keys page's own panel.
    expect(await page.getByTestId('key-generate').count()).toBe(1);

    await pressOn(page.getByTestId('setup-protocol-https'), 'Space');
    expect(await page.getByTestId('setup-protocol-https').isChecked()).toBe(true);
    expect(await page.getByTestId('key-generate').count()).toBe(0);
    expect(await next.getAttribute('aria-disabled')).toBe('false');
    await expectInView(page.getByTestId('setup-protocol'), next);
    await shot('4-keys-https');
    await pressOn(next);
    await expectStep(4, 'Choose the folder and go');
  });

  it('says everything the batch will do before the one confirmation; nothing has run before it', { timeout: 30_000 }, async () => {
    expect(await page.getByTestId('setup-folder').inputValue()).toBe(srcFolder());
    const plan = page.getByTestId('setup-plan');
    expect(await plan.textContent()).toContain('3 repositories');
    expect(await plan.textContent()).toContain(`${srcFolder()}/<repository>`);
    expect(await plan.textContent()).toContain('HTTPS');
    expect(await (await world.client()).call('clone.batches', {})).toEqual([]);
    expect(existsSync(srcFolder())).toBe(false);
    await expectInView(plan, page.getByTestId('setup-go'));
    await shot('5-go');
  });

  it('goes back by keyboard as far as step 1 and forward again, keeping every choice', { timeout: 30_000 }, async () => {
    await pressOn(page.getByTestId('setup-back'));
    await expectStep(3, 'Check your SSH keys');
    expect(await page.getByTestId('setup-protocol-https').isChecked()).toBe(true);
    await pressOn(page.getByTestId('setup-back'));
    await expectStep(2, 'Choose the repositories');
    expect(await page.getByTestId('setup-chosen').textContent()).toBe('Chosen: 3 repositories');
    await pressOn(page.getByTestId('setup-back'));
    await expectStep(1, 'Connect your primary');
    expect(await page.getByTestId('setup-connected').textContent()).toContain(world.topology.primary.baseUrl);
    await pressOn(page.getByTestId('setup-next'));
    await expectStep(2, 'Choose the repositories');
    await pressOn(page.getByTestId('setup-next'));
    await expectStep(3, 'Check your SSH keys');
    // Checked once for this selection; not again on the way through.
    expect(await page.getByTestId('setup-key-check').getAttribute('data-state')).toBe('done');
    await pressOn(page.getByTestId('setup-next'));
    await expectStep(4, 'Choose the folder and go');
  });

  it('clones on confirmation and ends on what is where, a taken folder failing with its hint', { timeout: 150_000 }, async () => {
    const [takenRepository, clonedRepository] = core as [string, string];
    const taken = path.join(srcFolder(), takenRepository.split('/')[1]!);
    await mkdir(taken, { recursive: true });
    await writeFile(path.join(taken, 'notes.txt'), 'mine\n');
    await pressOn(page.getByTestId('setup-go'));
    await expectStep(5, 'What is where');
    const summary = page.getByTestId('setup-summary');
    await expect.poll(() => summary.count(), { timeout: 120_000 }).toBe(1);
    expect(await page.getByTestId('setup-summary-title').textContent()).toBe('2 of 3 repositories are there; 1 not.');
    // The failure comes first, with why and what to do, and Retry is in sight.
    const failed = page.getByTestId('setup-result').first();
    expect(await failed.getAttribute('data-repository')).toBe(takenRepository);
    expect(await failed.getAttribute('data-state')).toBe('failed');
    expect((await failed.getByTestId('setup-result-error').textContent())!.length).toBeGreaterThan(20);
    await expectInView(failed, page.getByTestId('setup-retry'));
    // Each one there: its folder, the mirror holding its project, and Open buttons.
    for (const [reference, mirror] of [[clonedRepository, 'near'], ['LIBS/lib-a', 'strict']] as const) {
      const line = page.locator(`[data-testid="setup-result"][data-repository="${reference}"]`);
      expect(await line.getAttribute('data-state')).toBe('done');
      expect(await line.getByTestId('setup-result-source').textContent()).toBe(`from the mirror ${mirror}`);
      expect(await line.getByTestId('setup-result-path').textContent()).toBe(path.join(srcFolder(), reference.split('/')[1]!));
      expect(await line.getByRole('group', { name: `Open ${reference.split('/')[1]} in` }).getByRole('button').count()).toBe(3);
    }
    expect(await page.locator('[data-testid="setup-result"][data-state="done"]').count()).toBe(2);
    // HTTPS, as chosen: the remote is the mirror's http address.
    expect((await run('git', ['-C', path.join(srcFolder(), 'lib-a'), 'config', 'remote.origin.url'])).stdout).toMatch(/^http:\/\//);
    await shot('6-summary-failed');

    await rm(taken, { recursive: true });
    await pressOn(page.getByTestId('setup-retry'));
    await expect.poll(() => page.getByTestId('setup-summary-title').textContent(), { timeout: 90_000 }).toBe('All 3 repositories are there.');
    expect(existsSync(path.join(taken, '.git'))).toBe(true);
    expect(await page.getByTestId('setup-retry').count()).toBe(0);
    await expectInView(page.getByTestId('setup-summary-title'));
    await shot('7-summary-all');
  });

  it('makes and uploads a key strict accepts, checks again, and clones over SSH', { timeout: 180_000 }, async () => {
    // A second round from the summary: the primary stays, the choices start afresh.
    await pressOn(page.getByRole('button', { name: 'Set up more' }));
    await expectStep(2, 'Choose the repositories');
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(5);
    expect(await checkedSlugs()).toEqual([]);
    await checkRowNamed('lib-b', 'Enter');
    expect(await page.getByTestId('setup-chosen').textContent()).toBe('Chosen: 1 repository');
    await pressOn(page.getByTestId('setup-next'));
    await expectStep(3, 'Check your SSH keys');
    await expect.poll(() => page.getByTestId('setup-key-check').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await serversChecked()).toEqual(['mirror strict', 'primary']);
    expect(await page.getByTestId('setup-keys-not-ok').count()).toBe(1);
    await pressOn(page.getByRole('button', { name: 'Generate a key' }));
    // The type offered is one strict takes, and the reason names it.
    expect(await page.getByTestId('key-type-reason').textContent()).toContain('strict refused an Ed25519 key');
    const generate = page.getByRole('button', { name: /^Generate RSA 4096 key$/ });
    await expectInView(generate);
    await shot('8-generate');
    await pressOn(generate);
    await expect.poll(() => page.getByTestId('generated-key').count(), { timeout: 60_000 }).toBe(1);
    const upload = page.getByTestId('generated-key').getByRole('button', { name: /^Upload to / });
    await expectInView(upload);
    await pressOn(upload);
    await expect.poll(() => page.getByTestId('upload-result').count(), { timeout: 20_000 }).toBe(1);
    await pressOn(page.getByTestId('setup-check-again'));
    await expect.poll(() => page.getByTestId('setup-keys-ok').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('setup-keys-ok').textContent()).toContain('id_rsa');
    expect(await page.getByTestId('setup-next').getAttribute('aria-disabled')).toBe('false');
    await expectInView(page.getByTestId('setup-keys-ok'), page.getByTestId('setup-next'));
    await shot('9-keys-ok');

    await pressOn(page.getByTestId('setup-next'));
    await expectStep(4, 'Choose the folder and go');
    expect(await page.getByTestId('setup-plan').textContent()).toContain('SSH');
    await pressOn(page.getByTestId('setup-go'));
    await expectStep(5, 'What is where');
    await expect.poll(() => page.getByTestId('setup-summary').count(), { timeout: 120_000 }).toBe(1);
    const line = page.locator('[data-testid="setup-result"][data-repository="LIBS/lib-b"]');
    expect([await page.getByTestId('setup-summary-title').textContent(), await line.textContent()]).toEqual(['LIBS/lib-b is there.', expect.stringContaining('from the mirror strict')]);
    expect(await line.getByTestId('setup-result-source').textContent()).toBe('from the mirror strict');
    expect((await run('git', ['-C', path.join(srcFolder(), 'lib-b'), 'config', 'remote.origin.url'])).stdout).toMatch(/^ssh:\/\//);
    expect(await page.getByTestId('setup-summary-how').textContent()).toBe(`Over SSH, into ${srcFolder()}. Pushes go to the primary.`);
    await expectInView(line);
    await shot('10-summary-ssh');
  });

  it('takes a team file instead of a choice: a broken one refused, a good one shown and cloned, what is there left alone', { timeout: 120_000 }, async () => {
    await pressOn(page.getByRole('button', { name: 'Set up more' }));
    await expectStep(2, 'Choose the repositories');
    const open = (name: string, text: string) => page.getByTestId('team-file-input').setInputFiles({ name, mimeType: 'application/json', buffer: Buffer.from(text) });
    await open('broken.json', '{"mirrorCloneTeam": 1, "primary": "ftp://x"}');
    await expect.poll(() => page.getByTestId('setup-team-file-problems').count(), { timeout: 5_000 }).toBe(1);
    expect(await page.getByTestId('setup-team-file-problems').textContent()).toContain('not an http(s) address');
    expect(await page.getByTestId('setup-next').getAttribute('aria-disabled')).toBe('true');

    await open('team.json', JSON.stringify({ mirrorCloneTeam: 1, primary: world.topology.primary.baseUrl, projects: ['LIBS'], repositories: ['CORE/docs'], layout: 'flat', protocol: 'https' }));
    const summary = page.getByTestId('setup-team-file');
    await expect.poll(() => summary.count(), { timeout: 5_000 }).toBe(1);
    expect(await page.getByTestId('setup-team-file-problems').count()).toBe(0);
    expect(await summary.textContent()).toContain('LIBS');
    expect(await summary.textContent()).toContain('CORE/docs');
    expect(await page.getByTestId('setup-chosen').textContent()).toBe('Chosen: 1 repository and all of LIBS');
    await expectInView(summary, page.getByTestId('setup-next'));
    await shot('11-team-file');

    await pressOn(page.getByTestId('setup-next'));
    await expectStep(3, 'Check your SSH keys');
    await expect.poll(() => page.getByTestId('setup-key-check').getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    // CORE/docs stands for CORE, the first of LIBS for LIBS: both mirrors and the primary.
    expect(await serversChecked()).toEqual(['mirror near', 'mirror strict', 'primary']);
    // The team prefers HTTPS: chosen already, though SSH would work now.
    expect(await page.getByTestId('setup-protocol-https').isChecked()).toBe(true);
    await pressOn(page.getByTestId('setup-next'));
    await expectStep(4, 'Choose the folder and go');
    expect(await page.getByTestId('setup-plan').textContent()).toContain('(from team.json)');
    await pressOn(page.getByTestId('setup-go'));
    await expectStep(5, 'What is where');
    await expect.poll(() => page.getByTestId('setup-summary-title').textContent(), { timeout: 60_000 }).toBe('All 3 repositories are there.');
    const sources = await page.getByTestId('setup-result-source').allTextContents();
    expect(sources).toEqual(['already there, left alone', 'already there, left alone', 'already there, left alone']);
  });

  it('goes straight back to a step done from the list of steps', { timeout: 30_000 }, async () => {
    await pressOn(page.getByRole('list', { name: 'Steps' }).getByRole('button', { name: /^Choose the repositories/ }));
    await expectStep(2, 'Choose the repositories');
    expect(await page.getByTestId('setup-team-file').count()).toBe(1);
    // Steps not reached yet are not offered as shortcuts.
    expect(await page.getByRole('list', { name: 'Steps' }).getByRole('button').count()).toBe(1);
  });

  it('stays readable at 200% zoom, nothing wider than the window', { timeout: 60_000 }, async () => {
    const { page: zoomed } = await world.openPage({ context: at200PercentZoom });
    await zoomed.getByRole('button', { name: 'Get set up' }).click();
    await expect.poll(() => zoomed.getByTestId('browse-row').count(), { timeout: 20_000 }).toBe(5);
    expect(await sidewaysOverflow(zoomed, '.content')).toBeLessThanOrEqual(0);
    await expectInView(zoomed.getByTestId('setup-next'));
    await zoomed.screenshot({ path: path.join(screenshotDir, 'setup-12-zoom-choose.png') });
  });

  it('raised no page errors and no serious accessibility findings', () => {
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });
});
