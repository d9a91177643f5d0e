/**
 * What a newcomer sees and does in the first minutes, in real Chromium against a real helper and
 * an emulated primary with a near and a middle mirror, a far primary and a mirror Bitbucket has
 * disabled: latency bars on one scale with a legend, a Why column that gives reasons, the same
 * figure the CLI prints for a server whose measuring stopped early, a measurement's age when it is
 * reused; a skip link, arrow keys in the sidebar, Escape closing a confirmation; disabled buttons
 * that look disabled. Photographed at 1280x860 and 900x700, light and dark, with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { ContractClient } from '../../shared/contract';
import { formatLatencyMs } from '../../shared/latency';
import { median } from '../../electron/helper/probe/statistics';
import { findMirrors } from '../support/app-actions';
import { photographAtBothSizes, windowSizes } from '../support/photograph';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';

let world: E2eWorld;
let client: ContractClient;
let page: Page;
let errors: string[];
const violations: string[] = [];


beforeAll(async () => {
  world = await startE2eWorld({
    topology: {
      primary: { delayMs: 60 },
      mirrors: [{ name: 'near', delayMs: 1 }, { name: 'mid', delayMs: 12 }, { name: 'old', delayMs: 1, enabled: false }],
      projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }],
    },
  });
  client = await world.client();
  await world.connectPrimary();
  ({ page, errors } = await world.openPage({ context: { viewport: windowSizes.large } }));
}, 240_000);

afterAll(async () => {
  await world?.stop();
}, 60_000);

/** Light and dark at both sizes, axe at each. */
async function shoot(name: string, scrollTo?: () => Locator): Promise<void> {
  violations.push(...(await photographAtBothSizes(page, `glance-${name}`, { scrollTo })));
}

const row = (name: string) => page.locator(`[data-testid="candidate"][data-name="${name}"]`);
const fillWidth = async (name: string) => (await row(name).getByTestId('latency-fill').boundingBox())!.width;
const focused = async () => (await page.evaluate(`({ text: document.activeElement?.textContent ?? '', id: document.activeElement?.id ?? '' })`)) as { text: string; id: string };
const hasFocus = (locator: Locator) => locator.evaluate((node) => node === node.ownerDocument.activeElement);

describe('measurements a newcomer can trust', () => {
  it('draws every server on one scale, says why for each row, and shows the stopped primary as the CLI does', { timeout: 120_000 }, async () => {
    // Every round trip the helper streams for the UI's run, as the CLI would take its median from.
    const streamed = new Map<string, number[]>();
    client.on('discovery.sample', ({ candidateId, kind, ms }) => {
      if (kind === 'sample') streamed.set(candidateId, [...(streamed.get(candidateId) ?? []), ms]);
    });
    await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    await findMirrors(page, 'PROJ/repo');
    expect(await page.getByTestId('discovery-status').textContent()).toMatch(/^Measured just now in \d+(\.\d)? (ms|s)$/);

    const primaryValue = row('Primary').getByTestId('latency-value');
    expect(await row('Primary').getByTestId('candidate-reason').textContent()).toMatch(/^(Slower to answer than near|Stopped measuring: could not beat near)\.$/);
    // Its round trips go on after the choice; once all are in, the median is shown, as `discover` prints it.
    await expect.poll(() => row('Primary').getByTestId('latency').getAttribute('data-kind'), { timeout: 30_000 }).toBe('median');
    const primarySamples = streamed.get('primary')!;
    expect(primarySamples.length).toBe(5);
    expect(await primaryValue.textContent()).toBe(formatLatencyMs(median(primarySamples)));
    expect(await page.getByText(/> \d+ ms/).count()).toBe(0);

    // One scale: each bar is its figure over the scale's end (a log scale drew 15 ms as half of 255 ms).
    const nearMs = Number.parseFloat((await row('near').getByTestId('latency-value').textContent())!);
    const primaryMs = Number.parseFloat((await primaryValue.textContent())!);
    const legend = await page.getByTestId('latency-legend').textContent();
    const scaleMs = Number(/from 0 to (\d+) ms/.exec(legend!)![1]);
    expect(scaleMs).toBeGreaterThanOrEqual(primaryMs);
    expect(scaleMs).toBeLessThan(primaryMs * 2.5);
    const trackWidth = (await row('Primary').locator('.latency__track').boundingBox())!.width;
    for (const [name, ms] of [['Primary', primaryMs], ['near', nearMs]] as const) {
      // Linear: width is figure / scale of the track (a 2 px floor keeps a 1 ms bar visible).
      // (Polled: the bar eases to its width.)
      await expect.poll(async () => Math.abs((await fillWidth(name)) - Math.max(2, (ms / scaleMs) * trackWidth))).toBeLessThan(2);
    }
    expect(legend).toContain('Mark: one round trip');

    // Why: a reason per row, never the figure again; the recommendation sentence once on the page.
    expect(await row('near').getByTestId('candidate-reason').textContent()).toBe('RecommendedClosest of the servers measured.');
    expect(await row('mid').getByTestId('candidate-reason').textContent()).toMatch(/^(Slower to answer than near|Stopped measuring: could not beat near)\.$/);
    expect(await row('old').getByTestId('candidate-reason').textContent()).toBe('old is disabled by the Bitbucket administrators.');
    for (const reason of await page.getByTestId('candidate-reason').allTextContents()) expect(reason).not.toMatch(/\d+(\.\d)? ms/);
    const sentence = (await page.getByTestId('discovery-reason').textContent())!;
    expect(sentence).toMatch(/^near: \d+(\.\d)? ms median vs /);
    expect(await page.getByText(sentence.split(' vs ')[0]!).count()).toBe(1);
    await shoot('1-measured', () => page.getByTestId('clone-panel'));

    // Asked again on the same network: reused, and it says how old the measurement is instead of a
    // duration. Once the first measurement has run to the end in the background, what is reused is
    // every server's median, the stopped primary's included: never its early bound, never "> N".
    await expect.poll(async () => {
      await findMirrors(page, 'PROJ/repo');
      await page.getByTestId('discovery-status').filter({ hasText: '(reused)' }).waitFor({ timeout: 20_000 });
      return row('Primary').getByTestId('latency').getAttribute('data-kind');
    }, { timeout: 60_000 }).toBe('median');
    expect(await page.getByTestId('discovery-status').textContent()).toMatch(/^Measured (just now|\d+ s ago) on this network \(reused\)$/);
    expect(await primaryValue.textContent()).toMatch(/^\d+(\.\d)? ms$/);
    expect(await row('Primary').getByTestId('candidate-reason').textContent()).toMatch(/^(Slower to answer than near|Stopped measuring: could not beat near)\.$/);
    expect(await page.getByTestId('discovery-reason').textContent()).toMatch(/^near: \d+(\.\d)? ms median vs /);
    await shoot('1b-reused', () => page.getByTestId('clone-panel'));
  });
});

describe('keyboard', () => {
  it('offers "Skip to main content" as the first Tab stop, visible when focused, and it lands before the paste field', { timeout: 60_000 }, async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    // Off screen until focused.
    expect((await skip.boundingBox())!.y + (await skip.boundingBox())!.height).toBeLessThanOrEqual(0);
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe('Skip to main content');
    await expect.poll(async () => (await skip.boundingBox())!.y).toBeGreaterThanOrEqual(0);
    await shoot('2-skip-link');

    await page.keyboard.press('Enter');
    expect((await focused()).id).toBe('main');
    // From there to the paste field: a few Tabs (it was seven from the top before).
    const field = page.getByLabel('Paste a repository URL or PROJECT/repo');
    let tabs = 0;
    while (!(await hasFocus(field)) && tabs < 10) {
      await page.keyboard.press('Tab');
      tabs += 1;
    }
    expect(tabs).toBeLessThanOrEqual(3);
  });

  it('moves between sidebar sections with the arrow keys, Home and End; the sidebar is one Tab stop', { timeout: 60_000 }, async () => {
    await page.reload();
    await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    await page.keyboard.press('Tab'); // the skip link
    await page.keyboard.press('Tab');
    expect((await focused()).text).toBe('Repositories');
    const current = () => page.locator('.sidebar__item[aria-current="page"]').textContent();

    await page.keyboard.press('ArrowDown');
    expect((await focused()).text).toBe('Local clones');
    // Moving is not opening: Repositories still shows.
    expect(await current()).toBe('Repositories');
    await page.keyboard.press('End');
    expect((await focused()).text).toBe('Settings');
    await page.keyboard.press('ArrowDown');
    expect((await focused()).text).toBe('Get set up');
    await page.keyboard.press('ArrowUp');
    expect((await focused()).text).toBe('Settings');
    await page.keyboard.press('Home');
    expect((await focused()).text).toBe('Get set up');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await current()).toBe('Local mirrors');
    await expect.poll(() => page.getByRole('heading', { name: 'Local mirrors', level: 1 }).count()).toBe(1);
    await shoot('3-sidebar-keys');

    // One Tab stop: Tab leaves the sidebar for the content, Shift+Tab comes back to the section showing.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(`document.activeElement?.closest('nav') === null`)).toBe(true);
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).text).toBe('Local mirrors');
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).text).toBe('Skip to main content');
  });
});

describe('disabled looks disabled', () => {
  it('draws a disabled primary button flat, dashed and muted in light and dark, unlike the enabled one', { timeout: 60_000 }, async () => {
    const add = page.getByRole('button', { name: 'Add', exact: true });
    expect(await add.getAttribute('aria-disabled')).toBe('true');
    interface Look {
      background: string;
      border: string;
      color: string;
      cursor: string;
      opacity: string;
    }
    const look = async () =>
      (await page.evaluate(`(() => {
        const style = getComputedStyle(document.querySelector('.mirror-add .button--primary'));
        return { background: style.backgroundColor, border: style.borderTopStyle, color: style.color, cursor: style.cursor, opacity: style.opacity };
      })()`)) as Look;
    const looks: Record<string, { disabled: Look; enabled: Look }> = {};
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.getByLabel('Repository (URL or PROJECT/repo)').fill('');
      const disabled = await look();
      await page.getByLabel('Repository (URL or PROJECT/repo)').fill('PROJ/repo');
      const enabled = await look();
      looks[colorScheme] = { disabled, enabled };
    }
    await page.emulateMedia({ colorScheme: 'light' });
    for (const { disabled, enabled } of Object.values(looks)) {
      expect(disabled.background).not.toBe(enabled.background);
      expect(disabled.color).not.toBe(enabled.color);
      expect(disabled).toMatchObject({ border: 'dashed', cursor: 'not-allowed', opacity: '1' });
      expect(enabled.border).toBe('solid');
    }
    await page.getByLabel('Repository (URL or PROJECT/repo)').fill('');
    await shoot('4-disabled-button', () => page.locator('.mirror-add'));
  });
});

describe('settings', () => {
  it('saves each field as it changes, with no Save button, and lists a disabled mirror without offering it as the preferred server', { timeout: 60_000 }, async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const samples = page.getByRole('spinbutton', { name: 'Probe samples' });
    await expect.poll(() => samples.isEnabled(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    await samples.fill('6');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByTestId('probeSamples-status').textContent(), { timeout: 20_000 }).toBe('Saved');
    expect((await client.call('settings.get', {})).probeSamples).toBe(6);

    // Discovery saw "old" disabled in Bitbucket: listed as such, not choosable.
    const pin = page.getByTestId('primary-card').getByRole('combobox', { name: 'Preferred server' });
    await expect.poll(() => pin.locator('option').allTextContents(), { timeout: 20_000 }).toContain('old (disabled in Bitbucket)');
    expect(await pin.locator('option', { hasText: 'old' }).isDisabled()).toBe(true);
    await pin.selectOption({ label: 'mid' });
    await expect.poll(() => page.getByTestId('pin-status').textContent(), { timeout: 20_000 }).toBe('Saved');
    expect((await client.call('primaries.list', {}))[0]!.pinnedCandidate).toBe(world.topology.mirrors.mid!.id);
    await shoot('6-settings', () => page.getByTestId('primary-card'));
    await pin.selectOption({ label: 'None: the closest' });
    await expect.poll(async () => (await client.call('primaries.list', {}))[0]!.pinnedCandidate, { timeout: 20_000 }).toBeUndefined();
    await page.getByRole('button', { name: 'Local mirrors', exact: true }).click();
  });
});

describe('inline confirmations', () => {
  it('closes the remove-a-local-mirror question with Escape and gives focus back to Remove…', { timeout: 120_000 }, async () => {
    await client.call('cache.add', { repository: 'PROJ/repo', primary: world.topology.primary.baseUrl });
    const card = page.locator('[data-testid="local-mirror"][data-name="PROJ/repo"]');
    await expect.poll(() => card.getAttribute('data-state'), { timeout: 60_000 }).toBe('ready');
    const remove = card.getByRole('button', { name: 'Remove…' });
    await remove.focus();
    await page.keyboard.press('Enter');
    const question = card.getByTestId('remove-confirmation');
    await expect.poll(() => question.count()).toBe(1);
    expect((await focused()).text).toBe('Keep it');
    await shoot('5-confirm-remove', () => card);

    await page.keyboard.press('Escape');
    await expect.poll(() => question.count()).toBe(0);
    await expect.poll(() => hasFocus(remove)).toBe(true);
    expect(await card.count()).toBe(1);
    expect((await client.call('cache.list', {})).map((mirror) => mirror.slug)).toEqual(['repo']);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });
});
