/**
 * Settings, a mirror added by hand: it is asked without the token until the user confirms, in
 * place, a question naming both hosts. The safe answer has the focus, so an Enter at once sends
 * nothing; allowing shows that the mirror gets the token, and stopping takes it back. Photographed
 * light and dark at 1280x860 and 900x700, axe clean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ContractClient } from '../../shared/contract';
import { photographAtBothSizes } from '../support/photograph';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';

let world: E2eWorld;
let client: ContractClient;
let page: Page;
let errors: string[];
const violations: string[] = [];

beforeAll(async () => {
  world = await startE2eWorld({
    topology: { primary: { delayMs: 5 }, mirrors: [{ name: 'hand', delayMs: 1, advertised: false }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] },
  });
  client = await world.client();
  await world.connectPrimary();
  ({ page, errors } = await world.openPage({ context: { viewport: { width: 1280, height: 860 } } }));
}, 240_000);

afterAll(async () => {
  await world?.stop();
}, 60_000);

const card = () => page.getByTestId('primary-card');
const consent = () => card().getByTestId('mirror-token');
// Another host name for the same server, so the question names two different hosts.
const mirrorUrl = () => world.topology.mirrors.hand!.baseUrl.replace('127.0.0.1', 'localhost');
const mirrorHost = () => new URL(mirrorUrl()).host;
const primaryHost = () => new URL(world.topology.primary.baseUrl).host;
const stored = async () => (await client.call('primaries.list', {}))[0]!.manualMirrors[0];

async function shot(name: string): Promise<void> {
  violations.push(...(await photographAtBothSizes(page, `mirror-token-${name}`, { scrollTo: consent })));
}

describe('sending the token to a mirror added by hand', () => {
  it('asks, naming both hosts; Enter at once keeps the token home; allowing and stopping change what the helper does', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await expect.poll(() => card().count(), { timeout: 20_000 }).toBe(1);
    await card().getByRole('textbox', { name: 'Name' }).pressSequentially('Lab', { delay: 40 });
    const address = card().getByRole('textbox', { name: 'Base address' });
    await address.pressSequentially(mirrorUrl(), { delay: 20 });
    await address.press('Enter');
    await expect.poll(() => consent().textContent(), { timeout: 20_000 }).toContain('Asked without your token');
    expect(await stored()).toEqual({ name: 'Lab', baseUrl: mirrorUrl() });

    await card().getByRole('button', { name: 'Send token to Lab…' }).click();
    const question = consent().getByRole('group');
    await expect.poll(() => question.isVisible()).toBe(true);
    expect(await question.getByText(`Send your token for ${primaryHost()} to ${mirrorHost()}?`).isVisible()).toBe(true);
    const send = question.getByRole('button', { name: `Send my token to ${mirrorHost()}` });
    expect(await send.isVisible()).toBe(true);
    expect(await page.evaluate('document.activeElement?.textContent')).toBe("Don't send");
    await shot('1-question');

    await page.keyboard.press('Enter');
    await expect.poll(() => question.count()).toBe(0);
    expect((await stored())?.tokenAllowed).toBeUndefined();

    await card().getByRole('button', { name: 'Send token to Lab…' }).click();
    await consent().getByRole('button', { name: `Send my token to ${mirrorHost()}` }).click();
    await expect.poll(() => consent().textContent(), { timeout: 20_000 }).toContain(`Gets your token for ${primaryHost()}.`);
    expect((await stored())?.tokenAllowed?.host).toBe(mirrorHost());
    await shot('2-allowed');

    await consent().getByRole('button', { name: 'Stop sending token' }).click();
    await expect.poll(() => consent().textContent(), { timeout: 20_000 }).toContain('Asked without your token');
    expect((await stored())?.tokenAllowed).toBeUndefined();
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });
});
