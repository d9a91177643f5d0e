/**
 * Choosing a repository in real Chromium against a real helper and an emulated Bitbucket whose
 * primary answers slowly (the keys overtake its answers): typed at a person's pace with Enter
 * pressed at once, the repository that opens (and the folder its clone goes to) is always the
 * one highlighted in the answer to what was typed, never a row of the list before; the rows on
 * screen and the Clone panel show each repository's size and last change; a mistyped reference
 * is said right under the paste field, and goes when something else is pasted.
 * Screens at 1280x860 and 900x700, light and dark (test-results/screenshots/choose-*.png), axe clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { photographAtBothSizes, windowSizes } from '../support/photograph';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { formatBytes } from '../../renderer/src/format';

let world: E2eWorld;
let page: Page;
let errors: string[];
const violations: string[] = [];

const large = windowSizes.large;

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 20 },
      mirrors: [{ name: 'near', delayMs: 1 }],
      projects: [
        // The first row of the whole list is dotfiles: the row an Enter on a stale list would open.
        { key: 'DEV', name: 'Developers', repos: [{ slug: 'dotfiles', commits: 2 }, { slug: 'design-system', sizeBytes: 400_000, commits: 3 }, { slug: 'design-tokens' }] },
        { key: 'PLAT', name: 'Platform', repos: ['api-gateway', 'api-docs', 'billing', 'search', 'web-app', 'worker'].map((slug) => ({ slug })) },
      ],
    },
  });
  await world.connectPrimary();
  ({ page, errors } = await world.openPage({ context: { viewport: large } }));
}, 240_000);

afterAll(() => world?.stop(), 60_000);

async function shot(name: string, scrollTo: string): Promise<void> {
  violations.push(...(await photographAtBothSizes(page, `choose-${name}`, { scrollTo: () => page.getByTestId(scrollTo) })));
}

const search = () => page.getByRole('combobox', { name: 'Search repositories' });
const status = () => page.getByTestId('browse-status');
const panelTitle = () => page.getByTestId('clone-panel').getByRole('heading', { level: 2 });
async function settledOn(query: string): Promise<void> {
  await expect.poll(async () => `${await status().getAttribute('data-state')} ${await status().getAttribute('data-query')}`, { timeout: 20_000 }).toBe(`ready ${query}`);
}
/** A person's typing: 80 to 150 ms between keys, varying. */
async function typeLikeAPerson(text: string): Promise<void> {
  for (const [index, key] of [...text].entries()) {
    await page.keyboard.type(key);
    await page.waitForTimeout(80 + ((index * 37) % 71));
  }
}
const discoveryRuns = () => world.topology.state.requestLog.filter((entry) => entry.instance === 'primary' && /\/rest\/api\/[^/]+\/projects\/[^/]+\/repos\/[^/]+\/?$/.test(entry.path)).map((entry) => entry.path.split('/').filter(Boolean).at(-1));

describe('choosing a repository in the list', () => {
  it('opens what is highlighted in the answer to what was typed, with Enter pressed at once, every time', { timeout: 180_000 }, async () => {
    await settledOn('');
    expect(await page.getByTestId('browse-row').first().getAttribute('data-name')).toBe('dotfiles');
    // Open one first, so the Clone panel's folder fields exist; clones go to the workspace.
    await page.getByTestId('browse-row').first().click();
    await page.getByLabel('Parent folder').fill(world.workspace);
    // The primary now answers slower than the keys come: every search is overtaken while typed.
    world.topology.setShape('primary', { delayMs: 150 }, 'http');
    const opened: string[] = [];
    try {
      const rounds: { typed: string; pauseAfter?: number; project: string; expect: string }[] = [
        { typed: 'design', project: 'DEV', expect: 'design-system' },
        // A pause long enough for a search for "api" to go out, then more keys and Enter.
        { typed: 'api', pauseAfter: 260, project: 'PLAT', expect: 'api-docs' },
        { typed: 'billing', project: 'PLAT', expect: 'billing' },
        { typed: 'design-t', project: 'DEV', expect: 'design-tokens' },
      ];
      for (const round of rounds) {
        await search().focus();
        await page.keyboard.press('Escape');
        await settledOn('');
        const before = discoveryRuns().length;
        if (round.pauseAfter) {
          await typeLikeAPerson(round.typed);
          await page.waitForTimeout(round.pauseAfter);
          await typeLikeAPerson('-d');
        } else {
          await typeLikeAPerson(round.typed);
        }
        await page.keyboard.press('Enter');
        // Nothing opens from the rows still on screen; it says it is waiting for the answer.
        const pending = await status().getAttribute('data-pick-pending');
        if (pending) expect(await status().textContent()).toBe('Searching… Enter opens the first match');
        await expect.poll(() => panelTitle().textContent(), { timeout: 30_000 }).toBe(`${round.project}/${round.expect}`);
        await expect.poll(() => page.getByTestId('discovery-reason').count(), { timeout: 30_000 }).toBe(1);
        // The highlighted row is the one opened; no other repository was looked up meanwhile.
        expect(await page.locator('[data-testid="browse-row"][aria-selected="true"]').getAttribute('data-name')).toBe(round.expect);
        expect(await page.locator('[data-testid="browse-row"]', { hasText: 'Shown below' }).getAttribute('data-name')).toBe(round.expect);
        expect(discoveryRuns().slice(before)).toEqual([round.expect]);
        // The clone would go into a folder named for it.
        await expect.poll(() => page.getByTestId('clone-destination-text').textContent(), { timeout: 20_000 }).toBe(`Clones into ${path.join(world.workspace, round.expect)}`);
        expect(await page.getByLabel(/^Folder name/).getAttribute('placeholder')).toBe(round.expect);
        opened.push(round.expect);
      }
    } finally {
      world.topology.setShape('primary', { delayMs: 20 }, 'http');
    }
    expect(opened).toEqual(['design-system', 'api-docs', 'billing', 'design-tokens']);
  });

  it('clones by keyboard what was chosen, into a folder named for it', { timeout: 180_000 }, async () => {
    await search().focus();
    await page.keyboard.press('Escape');
    await settledOn('');
    world.topology.setShape('primary', { delayMs: 150 }, 'http');
    try {
      await typeLikeAPerson('design-s');
      await page.keyboard.press('Enter');
      await expect.poll(() => panelTitle().textContent(), { timeout: 30_000 }).toBe('DEV/design-system');
    } finally {
      world.topology.setShape('primary', { delayMs: 20 }, 'http');
    }
    await expect.poll(() => page.getByTestId('clone-destination-text').textContent(), { timeout: 30_000 }).toBe(`Clones into ${path.join(world.workspace, 'design-system')}`);
    await page.getByRole('button', { name: 'Clone', exact: true }).focus();
    await page.keyboard.press('Enter');
    const job = page.getByTestId('clone-job').first();
    await expect.poll(() => job.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(existsSync(path.join(world.workspace, 'design-system', '.git'))).toBe(true);
    expect(existsSync(path.join(world.workspace, 'dotfiles'))).toBe(false);
  });

  it('shows the size and last change of the rows on screen and of the chosen repository', { timeout: 120_000 }, async () => {
    await search().focus();
    await page.keyboard.press('Escape');
    await settledOn('');
    const facts = page.getByTestId('browse-row-facts');
    await expect.poll(() => facts.evaluateAll((nodes) => nodes.every((node) => node.getAttribute('data-state') === 'ready')), { timeout: 30_000 }).toBe(true);
    const texts = await facts.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).toMatch(/^\d+(\.\d+)? (kB|KB|MB) · changed (just now|\d+ (s|min|h|days|months|years) ago)$/);
    // The emulator's own answers, asked directly: the row says the same size.
    const basic = `Basic ${Buffer.from(`${world.topology.credentials.user}:${world.topology.credentials.password}`).toString('base64')}`;
    const sizes = (await (await fetch(`${world.topology.primary.baseUrl}/projects/DEV/repos/design-system/sizes`, { headers: { Authorization: basic } })).json()) as { repository: number };
    const row = page.locator('[data-testid="browse-row"][data-name="design-system"]');
    expect(await row.getByTestId('browse-row-facts').textContent()).toMatch(new RegExp(`^${formatBytes(sizes.repository).replace('.', '\\.')} · `));
    // Only the rows on screen were asked about.
    const asked = world.topology.state.requestLog.filter((entry) => entry.path.endsWith('/commits')).length;
    expect(asked).toBeLessThanOrEqual(await page.getByTestId('browse-row').count());
    expect(await page.getByTestId('clone-panel-facts').textContent()).toMatch(/^\d+(\.\d+)? (kB|KB) · changed /);
    await shot('1-facts', 'repository-browser');
  });
});

describe('a mistyped repository reference', () => {
  const field = () => page.getByLabel('Paste a repository URL or PROJECT/repo');
  const fieldError = () => page.getByTestId('repository-field-error');
  /** A paste as the browser delivers one (a paste event carrying the clipboard's text). */
  const paste = (text: string) =>
    page.evaluate(`(() => {
      const data = new DataTransfer();
      data.setData('text', ${JSON.stringify(text)});
      const input = document.activeElement;
      input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    })()`);

  it('is said right under the field, in words, with nothing to measure again', { timeout: 120_000 }, async () => {
    await field().click();
    await page.keyboard.type('this is not a repo', { delay: 30 });
    await page.keyboard.press('Enter');
    await expect.poll(() => fieldError().count(), { timeout: 20_000 }).toBe(1);
    expect(await fieldError().locator('strong').textContent()).toBe('Not a repository address. ');
    expect(await fieldError().locator('strong').textContent()).not.toContain('this is not a repo');
    expect(await field().getAttribute('aria-invalid')).toBe('true');
    expect(await field().getAttribute('aria-describedby')).toBe(await fieldError().getAttribute('id'));
    const [fieldBox, errorBox] = [await field().boundingBox(), await fieldError().boundingBox()];
    expect(errorBox!.y - (fieldBox!.y + fieldBox!.height)).toBeLessThan(40);
    expect(errorBox!.y + errorBox!.height).toBeLessThan(large.height);
    // The Clone panel shows nothing about it, and nothing offers to measure it again.
    expect(await page.getByTestId('clone-panel').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Measure again|Try again/ }).count()).toBe(0);
    await shot('2-bad-reference', 'repository-browser');

    await field().fill('DEV/no-such-repository');
    await field().press('Enter');
    await expect.poll(() => fieldError().locator('strong').textContent(), { timeout: 20_000 }).toBe('Repository not found. ');
  });

  it('goes at once when a valid reference is pasted, before any answer', { timeout: 120_000 }, async () => {
    expect(await fieldError().count()).toBe(1);
    world.topology.setShape('primary', { delayMs: 150 }, 'http');
    try {
      await field().focus();
      await paste('DEV/dotfiles');
      expect(await fieldError().count()).toBe(0);
      expect(await field().getAttribute('aria-invalid')).toBeNull();
      await expect.poll(() => panelTitle().textContent(), { timeout: 30_000 }).toBe('DEV/dotfiles');
    } finally {
      world.topology.setShape('primary', { delayMs: 20 }, 'http');
    }
    // Typing over it is enough too.
    await field().fill('nope nope');
    await field().press('Enter');
    await expect.poll(() => fieldError().count(), { timeout: 20_000 }).toBe(1);
    await field().press('End');
    await page.keyboard.type('s');
    expect(await fieldError().count()).toBe(0);
  });

  it('passed axe on every screen with no page errors', () => {
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
