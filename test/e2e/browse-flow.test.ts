/**
 * Browsing a primary's repositories in real Chromium against a real helper process and an
 * emulated Bitbucket with 64 repositories (three pages): connect, the first page, incremental
 * search (answers to earlier searches never show), keyboard only to a repository whose mirrors
 * the Clone panel then shows, more pages by keyboard and by scrolling, the empty state, a project
 * filter with an archived repository, an expired token replaced in place, a primary that is down.
 * Every state is photographed light and dark (test-results/screenshots/browse-*.png) and checked
 * with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startTopology } from '../fixtures/bitbucket/topology';
import { newAccessToken } from '../fixtures/bitbucket/topology-state';
import { screenshotDir } from '../support/browser';
import { photographStep } from '../support/photograph';
import { at200PercentZoom, sidewaysOverflow, startE2eWorld, type E2eWorld } from '../support/e2e-world';

const serviceCount = 60;
const serviceSlug = (n: number) => `service-${String(n).padStart(2, '0')}`;
/** The one service only the far mirror holds: its recommendation differs from every other's. */
const onlyOnMid = serviceSlug(42);

let world: E2eWorld;
let page: Page;
let errors: string[];
const violations: string[] = [];
/** Where the list's box sits in the browser on each screen: the same place whatever it holds. */
const listOffsets = new Map<string, number>();

beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 20 },
      mirrors: [{ name: 'near', delayMs: 1 }, { name: 'mid', delayMs: 8 }],
      projects: [
        { key: 'PROJ', name: 'Product', repos: [{ slug: 'small' }] },
        {
          key: 'SVC',
          name: 'Services',
          // Tiny and on one mirror each: 60 repositories start in a few seconds.
          repos: Array.from({ length: serviceCount }, (_, index) => {
            const slug = serviceSlug(index + 1);
            return { slug, sizeBytes: 2048, commits: 1, files: 1, mirroredOn: [slug === onlyOnMid ? 'mid' : 'near'] };
          }),
        },
        { key: 'TOOLS', name: 'Tools', repos: [{ slug: 'build-scripts' }, { slug: 'web-lint' }, { slug: 'legacy-tool', archived: true }] },
      ],
    },
  });
  // Every state of the list as rendered: the search its rows belong to, and the rows.
  ({ page, errors } = await world.openPage({
    initScript: `
      window.__listTrace = [];
      const snapshot = () => {
        const list = document.querySelector('[data-testid="browse-list"]');
        if (!list) return;
        const rows = [...list.querySelectorAll('[data-testid="browse-row"]')].map((row) => row.dataset.name);
        const last = window.__listTrace[window.__listTrace.length - 1];
        const entry = { query: list.dataset.query, rows };
        if (!last || JSON.stringify(last) !== JSON.stringify(entry)) window.__listTrace.push(entry);
      };
      new MutationObserver(snapshot).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-query'] });
    `,
  }));
}, 240_000);

afterAll(() => world?.stop(), 60_000);

async function shot(name: string, scrollTo = 'repository-browser'): Promise<void> {
  const [browserBox, viewportBox] = [await page.getByTestId('repository-browser').boundingBox(), await page.getByTestId('browse-viewport').boundingBox()];
  listOffsets.set(name, Math.round(viewportBox!.y - browserBox!.y) * 1000 + Math.round(viewportBox!.height));
  violations.push(...(await photographStep(page, `browse-${name}`, { scrollTo: page.getByTestId(scrollTo) })));
}

const search = () => page.getByRole('combobox', { name: 'Search repositories' });
const rows = () => page.getByTestId('browse-row');
const rowNames = () => rows().evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-name') ?? ''));
const status = () => page.getByTestId('browse-status');
/** Waits until the list shows the answer to `query` (nothing pending). */
async function settledOn(query: string): Promise<void> {
  await expect.poll(async () => `${await status().getAttribute('data-state')} ${await status().getAttribute('data-query')}`, { timeout: 20_000 }).toBe(`ready ${query}`);
}
const activeName = () => page.locator('[data-testid="browse-row"][aria-selected="true"]').getAttribute('data-name');
const repoRequests = () => world.topology.state.requestLog.filter((entry) => entry.instance === 'primary' && /\/rest\/api\/[^/]+\/repos\/?$/.test(entry.path));

describe('browsing the repositories of a primary', () => {
  it('connects a primary in the app and shows the first page of its repositories', { timeout: 120_000 }, async () => {
    await expect.poll(() => page.getByRole('heading', { name: 'Connect a primary' }).count(), { timeout: 20_000 }).toBe(1);
    await page.getByLabel('Bitbucket base URL').fill(world.topology.primary.baseUrl);
    await page.getByLabel('HTTP access token').fill(world.topology.credentials.token);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();

    await settledOn('');
    expect(await rows().count()).toBe(25);
    expect(await status().textContent()).toBe('25 repositories shown, more to load');
    expect((await rowNames()).slice(0, 3)).toEqual(['small', serviceSlug(1), serviceSlug(2)]);
    const first = rows().nth(1);
    expect(await first.getByText('SVC', { exact: true }).count()).toBe(1);
    expect(await first.getByText('Services', { exact: true }).count()).toBe(1);
    // The combobox points at its active row.
    const active = await search().getAttribute('aria-activedescendant');
    expect(await page.locator(`[id="${active}"]`).getAttribute('data-name')).toBe('small');
    await shot('1-first-page');
  });

  it('narrows the list as you type, asking once per pause, and never shows an answer to an earlier search', { timeout: 120_000 }, async () => {
    const before = repoRequests().length;
    // A slow primary: each answer takes long enough for the next keys to overtake it.
    world.topology.setShape('primary', { delayMs: 120 }, 'http');
    try {
      await search().focus();
      await page.keyboard.type('serv', { delay: 40 });
      // Long enough for the search for "serv" to go out, not for its answer to come back.
      await page.waitForTimeout(260);
      await page.keyboard.type('ice-4', { delay: 40 });
      await settledOn('service-4');
    } finally {
      world.topology.setShape('primary', { delayMs: 20 }, 'http');
    }
    expect(await rowNames()).toEqual(Array.from({ length: 10 }, (_, index) => serviceSlug(40 + index)));
    expect(await status().textContent()).toBe('10 repositories');

    // Two pauses, two searches: not one per key.
    // (The search for "serv" may be cancelled before it reaches the primary.)
    const asked = repoRequests().slice(before).map((entry) => new URLSearchParams(entry.query).get('name'));
    expect(asked.at(-1)).toBe('service-4');
    expect(asked.length).toBeLessThanOrEqual(2);
    expect(asked.filter((name) => name !== 'serv' && name !== 'service-4')).toEqual([]);
    // Every rendered list matched the search it was labelled with, and once the rows for a
    // later search showed, no earlier search's rows came back.
    const trace = (await page.evaluate('window.__listTrace')) as { query: string; rows: string[] }[];
    for (const entry of trace) for (const name of entry.rows) expect(name.toLowerCase(), JSON.stringify(entry)).toContain(entry.query.toLowerCase());
    const order = ['', 'serv', 'service-4'];
    const shownOrder = trace.map((entry) => order.indexOf(entry.query));
    expect(shownOrder).not.toContain(-1);
    expect(shownOrder).toEqual([...shownOrder].sort((a, b) => a - b));
    expect(await rows().first().locator('mark').textContent()).toBe('service-4');
    await shot('2-search');
  });

  it('goes to a repository with the keyboard only and shows the mirrors of that repository', { timeout: 120_000 }, async () => {
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await activeName()).toBe(onlyOnMid);
    await page.keyboard.press('Enter');

    const panel = page.getByTestId('clone-panel');
    await expect.poll(() => panel.getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 }).toBe(`SVC/${onlyOnMid}`);
    await expect.poll(() => page.getByTestId('discovery-reason').count(), { timeout: 30_000 }).toBe(1);
    // Only mid holds this one: it is recommended though near is closer, and near says why not.
    const mid = page.locator('[data-testid="candidate"][data-name="mid"]');
    expect(await mid.getByTestId('candidate-reason').textContent()).toMatch(/^Recommended/);
    expect(await mid.getByRole('radio').isChecked()).toBe(true);
    expect(await page.locator('[data-testid="candidate"][data-name="near"]').getAttribute('data-status')).not.toBe('healthy');
    // Focus stayed in the search box; the row is marked as the one shown below.
    expect(await search().evaluate((node) => node === node.ownerDocument.activeElement)).toBe(true);
    expect(await rows().filter({ hasText: 'Shown below' }).getAttribute('data-name')).toBe(onlyOnMid);
    await shot('3-picked', 'clone-panel');
    await page.getByTestId('clone-panel').screenshot({ path: path.join(screenshotDir, 'browse-3-picked-panel-light.png') });

    // Another one, the usual way: near is recommended for it.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => panel.getByRole('heading', { level: 2 }).textContent(), { timeout: 30_000 }).toBe(`SVC/${serviceSlug(43)}`);
    await expect.poll(() => page.getByTestId('discovery-reason').count(), { timeout: 30_000 }).toBe(1);
    expect(await page.locator('[data-testid="candidate"][data-name="near"]').getByTestId('candidate-reason').textContent()).toMatch(/^Recommended/);
  });

  it('loads more pages past the last row by keyboard, and by scrolling, without moving anything below', { timeout: 120_000 }, async () => {
    await page.keyboard.press('Escape');
    await settledOn('');
    const viewport = page.getByTestId('browse-viewport');
    const heightBefore = (await viewport.boundingBox())!.height;
    const panelTop = async () => (await page.getByTestId('clone-panel').boundingBox())!.y - (await viewport.boundingBox())!.y;
    const panelBefore = await panelTop();

    await page.keyboard.press('End');
    expect(await activeName()).toBe(serviceSlug(24));
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(50);
    // Landed on the first row of the new page, scrolled into view.
    expect(await activeName()).toBe(serviceSlug(25));
    expect(await rows().nth(25).isVisible()).toBe(true);
    expect(await status().textContent()).toBe('50 repositories shown, more to load');

    await viewport.evaluate((node) => node.scrollTo({ top: node.scrollHeight }));
    await expect.poll(() => rows().count(), { timeout: 20_000 }).toBe(serviceCount + 4);
    expect(await status().textContent()).toBe(`${serviceCount + 4} repositories`);
    expect(await page.getByTestId('browse-load-more').count()).toBe(0);
    expect(new Set(await rowNames()).size).toBe(serviceCount + 4);

    expect((await viewport.boundingBox())!.height).toBe(heightBefore);
    expect(await panelTop()).toBe(panelBefore);
    await shot('4-all-pages');
  });

  it('says when nothing matches, and filters by project, archived ones marked', { timeout: 120_000 }, async () => {
    await search().fill('no-such-thing');
    await settledOn('no-such-thing');
    expect(await page.getByTestId('browse-empty').textContent()).toContain('No repositories match ‘no-such-thing’.');
    expect(await search().getAttribute('aria-expanded')).toBe('false');
    await shot('5-empty');

    await page.getByRole('button', { name: 'Clear search' }).click();
    await settledOn('');
    await page.getByLabel('Project', { exact: true }).selectOption('TOOLS');
    await expect.poll(() => rowNames(), { timeout: 20_000 }).toEqual(['build-scripts', 'web-lint', 'legacy-tool']);
    const archived = page.locator('[data-testid="browse-row"][data-archived="true"]');
    expect(await archived.getAttribute('data-name')).toBe('legacy-tool');
    expect(await archived.getByText('Archived').count()).toBe(1);
    await shot('6-project');
    await page.getByLabel('Project', { exact: true }).selectOption('');
    await settledOn('');
  });

  it('after the token expired, says so and what to do, and a new token pasted there lists again', { timeout: 120_000 }, async () => {
    // Bitbucket forgets the token the helper has.
    const user = world.topology.state.users[0]!;
    user.tokens.splice(0);
    await search().fill('service-1');
    await expect.poll(() => page.getByTestId('browse-error').getAttribute('data-code'), { timeout: 20_000 }).toBe('UNAUTHORIZED');
    const message = await page.getByTestId('browse-error').textContent();
    expect(message).toContain('refused the credentials');
    expect(message).toContain('Tokens expire');
    expect(await rows().count()).toBe(0);
    await shot('7-expired-token');

    const fresh = newAccessToken();
    user.tokens.push(fresh);
    await page.getByLabel(/^New HTTP access token/).fill(fresh);
    await page.getByRole('button', { name: 'Save token' }).click();
    await settledOn('service-1');
    expect(await rowNames()).toEqual(Array.from({ length: 10 }, (_, index) => serviceSlug(10 + index)));
  });

  it('shows a primary that is down with the error and Retry, and lists again once it is back', { timeout: 120_000 }, async () => {
    // Down: open connections drop (cut at once), new ones are refused.
    world.topology.setFault('primary', { kind: 'cut-after-bytes', bytes: 0 }, 'http');
    world.topology.setFault('primary', { kind: 'refuse' }, 'http');
    try {
      await search().fill('service-2');
      await expect.poll(() => page.getByTestId('browse-error').getAttribute('data-code'), { timeout: 30_000 }).toBe('NETWORK');
      expect(await page.getByTestId('browse-error').textContent()).toMatch(/\S/);
      await page.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => page.getByTestId('browse-error').getAttribute('data-code'), { timeout: 30_000 }).toBe('NETWORK');
      await shot('8-primary-down');
    } finally {
      world.topology.setFault('primary', { kind: 'none' }, 'http');
    }
    await page.getByRole('button', { name: 'Retry' }).click();
    await settledOn('service-2');
    expect(await rows().count()).toBe(10);
  });

  it('browses a second primary on its own, with its own projects', { timeout: 120_000 }, async () => {
    const other = await startTopology({ projects: [{ key: 'OPS', name: 'Operations', repos: [{ slug: 'runbooks' }, { slug: 'dashboards' }] }] });
    try {
      await page.getByText('Connect another primary').click();
      await page.getByLabel('Bitbucket base URL').fill(other.primary.baseUrl);
      await page.getByLabel('HTTP access token').fill(other.credentials.token);
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const which = page.getByLabel('Primary to browse');
      await expect.poll(() => which.count(), { timeout: 20_000 }).toBe(1);
      await page.getByLabel('Project', { exact: true }).selectOption('SVC');
      await settledOn('service-2');

      await which.selectOption(other.primary.baseUrl);
      // The search stays; the project filter belonged to the other primary.
      await settledOn('service-2');
      expect(await page.getByTestId('browse-empty').textContent()).toContain('No repositories match ‘service-2’.');
      expect(await page.getByLabel('Project', { exact: true }).inputValue()).toBe('');
      await search().fill('');
      await settledOn('');
      expect(await rowNames()).toEqual(['runbooks', 'dashboards']);
      const projectOptions = await page.getByLabel('Project', { exact: true }).locator('option').allTextContents();
      expect(projectOptions).toEqual(['All projects', 'OPS · Operations']);

      await which.selectOption(world.topology.primary.baseUrl);
      await settledOn('');
      expect(await rows().count()).toBe(25);
    } finally {
      await other.stop();
    }
  });

  it('stays readable at 200% zoom', { timeout: 120_000 }, async () => {
    const { page: zoomed, errors: zoomedErrors } = await world.openPage({ context: at200PercentZoom });
    const list = zoomed.getByTestId('browse-list');
    await expect.poll(() => list.getByTestId('browse-row').count(), { timeout: 20_000 }).toBe(25);
    await photographStep(zoomed, 'browse-9-zoom-200', { scrollTo: zoomed.getByTestId('repository-browser'), axe: false, fullPage: false });
    expect(await sidewaysOverflow(zoomed)).toBeLessThanOrEqual(0);
    // This page keeps the CSP: any violation would show here.
    expect(zoomedErrors).toEqual([]);
    await zoomed.context().close();
  });

  it('passed axe on every screen with no page errors, the list in the same place on each', () => {
    expect(new Set(listOffsets.values()).size, JSON.stringify([...listOffsets])).toBe(1);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  });
});
