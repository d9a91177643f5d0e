/**
 * The Settings screen in real Chromium against a real helper process (its own keychain) and an
 * emulated Bitbucket primary with two mirrors: each setting saved, refused with the helper's
 * reason and hint, and still there after a reload; the data folder copied; a hand-added mirror
 * refused then added; a mirror pinned and honoured by the next discovery; the primary removed
 * after a confirmation, its token gone from the keychain. Every state photographed light and dark
 * (test-results/screenshots/settings-*.png) and checked with axe; 200% zoom at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import type { ContractClient } from '../../shared/contract';
import { createTestCertificates, type TestCertificates } from '../fixtures/tls/certificates';
import { keychainHasEntry, primaryAccount } from '../support/keychain-entry';
import { photographStep } from '../support/photograph';
import { at200PercentZoom, sidewaysOverflow, startE2eWorld, type E2eWorld } from '../support/e2e-world';

let world: E2eWorld;
let certs: TestCertificates;
let client: ContractClient;
let page: Page;
let errors: string[];
let primaryName: string;
const violations: string[] = [];

beforeAll(async () => {
  certs = await createTestCertificates();
  world = await startE2eWorld({
    topology: { primary: { delayMs: 20 }, mirrors: [{ name: 'near', delayMs: 1 }, { name: 'far', delayMs: 8 }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] },
  });
  client = await world.client();
  primaryName = await world.connectPrimary();
  ({ page, errors } = await world.openPage({ context: { permissions: ['clipboard-read', 'clipboard-write'] } }));
}, 240_000);

afterAll(async () => {
  await world?.stop();
  await certs?.cleanup();
}, 60_000);

async function shot(name: string, scrollTo?: Locator): Promise<void> {
  violations.push(...(await photographStep(page, `settings-${name}`, { scrollTo })));
}

async function openSettings(): Promise<void> {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Settings', level: 1 }).count()).toBe(1);
  await expect.poll(() => samplesField().isEnabled(), { timeout: 20_000 }).toBe(true);
}

async function reload(): Promise<void> {
  await page.reload();
  await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
  await openSettings();
}

const samplesField = () => page.getByRole('spinbutton', { name: 'Probe samples' });
const caField = () => page.getByRole('textbox', { name: 'Trusted extra CA file' });
const caForm = () => page.getByRole('group', { name: 'Trusted extra CA file' });
const quotaForm = () => page.getByRole('group', { name: 'Local mirrors disk quota' }).first();
const card = () => page.getByTestId('primary-card');
const pinSelect = () => card().getByRole('combobox', { name: 'Preferred server' });
const pinOptions = () => pinSelect().locator('option').allTextContents();
const errorOf = (testId: string) => page.getByTestId(testId);
const focusedText = () => page.evaluate('document.activeElement?.textContent');

describe('Settings', () => {
  it('shows the data folder and copies it', { timeout: 60_000 }, async () => {
    await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    await openSettings();
    await expect.poll(() => page.getByTestId('data-folder').textContent(), { timeout: 20_000 }).toBe(world.helper.address.dataDir);
    expect(await page.getByText('Set by MIRROR_CLONE_HOME when the helper starts').count()).toBe(1);
    await page.getByRole('button', { name: 'Copy path' }).click();
    await expect.poll(() => page.getByTestId('data-folder-copied').textContent()).toBe('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(world.helper.address.dataDir);
    await shot('1-overview');
  });

  it('saves probe samples on Enter and on leaving the field, refuses 25 without losing it, keeps 9 after a reload, and Escape reverts', { timeout: 60_000 }, async () => {
    expect(await samplesField().inputValue()).toBe('5');
    await samplesField().fill('25');
    await samplesField().press('Enter');
    await expect.poll(() => errorOf('probeSamples-error').textContent()).toContain('from 1 to 20');
    expect(await samplesField().inputValue()).toBe('25');

    await samplesField().fill('9');
    await samplesField().press('Enter');
    await expect.poll(() => page.getByTestId('probeSamples-status').textContent(), { timeout: 20_000 }).toBe('Saved');
    expect(await errorOf('probeSamples-error').count()).toBe(0);
    await reload();
    expect(await samplesField().inputValue()).toBe('9');
    expect((await client.call('settings.get', {})).probeSamples).toBe(9);

    // Leaving the field saves what was typed; Escape puts back what is saved.
    await samplesField().fill('7');
    await page.keyboard.press('Tab');
    await expect.poll(() => page.getByTestId('probeSamples-status').textContent(), { timeout: 20_000 }).toBe('Saved');
    expect((await client.call('settings.get', {})).probeSamples).toBe(7);
    await samplesField().fill('3');
    await samplesField().press('Escape');
    expect(await samplesField().inputValue()).toBe('7');
    expect(await page.getByTestId('probeSamples-status').textContent()).toBe('');
    expect((await client.call('settings.get', {})).probeSamples).toBe(7);
  });

  it('refuses a relative, a missing and a non-PEM CA file with the reason and what to do; keeps a valid one', { timeout: 60_000 }, async () => {
    const submitCa = async (value: string) => {
      await caField().fill(value);
      await caField().press('Enter');
    };
    await submitCa('company-ca.pem');
    await expect.poll(() => errorOf('extraCaFile-error').getAttribute('data-code'), { timeout: 20_000 }).toBe('INVALID_PARAMS');
    expect(await errorOf('extraCaFile-error').textContent()).toContain('is not a full path');

    const missing = path.join(world.tempDir, 'missing-ca.pem');
    await submitCa(missing);
    await expect.poll(() => errorOf('extraCaFile-error').getAttribute('data-code'), { timeout: 20_000 }).toBe('NOT_FOUND');
    expect(await errorOf('extraCaFile-error').locator('.error-message__text').textContent()).toBe(`CA file not saved. The CA file ${missing} does not exist.`);
    expect(await errorOf('extraCaFile-error').locator('.error-message__hint').textContent()).toContain('Check the path');
    // What was typed stays, so it can be corrected.
    expect(await caField().inputValue()).toBe(missing);
    expect(await page.getByTestId('extraCaFile-now').textContent()).toContain('None');
    await shot('2-ca-missing', caForm());

    const note = path.join(world.tempDir, 'not-a-certificate.txt');
    await writeFile(note, 'This is a note, not a certificate.\n');
    await submitCa(note);
    await expect.poll(() => errorOf('extraCaFile-error').textContent(), { timeout: 20_000 }).toContain('is not a PEM certificate file');
    expect(await errorOf('extraCaFile-error').getAttribute('data-code')).toBe('INVALID_PARAMS');
    expect(await errorOf('extraCaFile-error').locator('.error-message__hint').textContent()).toContain('-----BEGIN CERTIFICATE-----');

    await submitCa(certs.caFile);
    await expect.poll(() => page.getByTestId('extraCaFile-status').textContent(), { timeout: 20_000 }).toBe('Saved');
    expect(await errorOf('extraCaFile-error').count()).toBe(0);
    await reload();
    expect(await caField().inputValue()).toBe(certs.caFile);
    expect(await page.getByTestId('extraCaFile-now').textContent()).toBe(`Trusted now: ${certs.caFile}`);
    await shot('3-ca-trusted', caForm());

    await caForm().getByRole('button', { name: 'Stop trusting' }).click();
    await expect.poll(() => page.getByTestId('extraCaFile-now').textContent(), { timeout: 20_000 }).toContain('None');
    expect(await caField().inputValue()).toBe('');
    expect((await client.call('settings.get', {})).extraCaFile).toBeUndefined();
    // Each field saves alone and leaves the others as they are.
    expect((await client.call('settings.get', {})).probeSamples).toBe(7);
  });

  it('sets the local mirrors quota in GB, refuses zero, keeps it after a reload, and goes back to no limit', { timeout: 60_000 }, async () => {
    expect(await page.getByTestId('cacheQuotaBytes-now').textContent()).toBe('Now: no limit.');
    // No Save button anywhere: each field saves itself.
    expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
    const size = quotaForm().getByRole('spinbutton', { name: 'Quota size' });
    await size.fill('0');
    expect(await quotaForm().getByRole('radio', { name: 'At most' }).isChecked()).toBe(true);
    await size.press('Enter');
    await expect.poll(() => errorOf('cacheQuotaBytes-error').textContent()).toContain('above zero');
    expect(await size.getAttribute('aria-invalid')).toBe('true');
    expect((await client.call('settings.get', {})).cacheQuotaBytes).toBeUndefined();

    await size.fill('1.5');
    // Choosing the unit saves the quota as it stands: 1.5 GB.
    await quotaForm().getByRole('combobox', { name: 'Quota unit' }).selectOption('GB');
    await expect.poll(() => page.getByTestId('cacheQuotaBytes-now').textContent(), { timeout: 20_000 }).toBe('Now: at most 1.5 GB.');
    expect((await client.call('settings.get', {})).cacheQuotaBytes).toBe(1.5 * 1000 ** 3);
    await reload();
    expect(await page.getByTestId('cacheQuotaBytes-now').textContent()).toBe('Now: at most 1.5 GB.');
    expect(await quotaForm().getByRole('spinbutton', { name: 'Quota size' }).inputValue()).toBe('1.5');
    await shot('4-quota', quotaForm());

    await quotaForm().getByRole('radio', { name: 'No limit' }).check();
    await expect.poll(() => page.getByTestId('cacheQuotaBytes-now').textContent(), { timeout: 20_000 }).toBe('Now: no limit.');
    expect((await client.call('settings.get', {})).cacheQuotaBytes).toBeUndefined();
    expect((await client.call('settings.get', {})).probeSamples).toBe(7);
  });
});

describe('Connected primaries in Settings', () => {
  it('lists the primary with its address, user and sign-in kind; before any discovery the pin offers the closest and the primary', { timeout: 60_000 }, async () => {
    await expect.poll(() => card().count(), { timeout: 20_000 }).toBe(1);
    const text = await card().textContent();
    for (const fact of [primaryName, world.topology.primary.baseUrl, world.topology.credentials.user, 'HTTP access token']) expect(text).toContain(fact);
    // The emulator is plain http: said in words, not only with a badge.
    expect(await card().getByTestId('insecure-warning').textContent()).toContain('travel unencrypted');
    expect(await pinOptions()).toEqual(['None: the closest', `The primary itself (${primaryName})`]);
    expect(await card().getByTestId('pin-effect').textContent()).toMatch(/^Clones of this primary use the closest healthy/);
  });

  it('refuses a hand-added mirror with a bad address inline, keeping what was typed, then adds and removes one', { timeout: 60_000 }, async () => {
    const name = card().getByRole('textbox', { name: 'Name' });
    const address = card().getByRole('textbox', { name: 'Base address' });
    await name.fill('Lab');
    await address.fill('lab.example.com');
    await address.press('Enter');
    const error = errorOf('manual-mirror-error');
    await expect.poll(() => error.count(), { timeout: 20_000 }).toBe(1);
    expect(await error.getAttribute('data-code')).toBe('INVALID_PARAMS');
    expect(await error.textContent()).toContain('Mirror "Lab": "lab.example.com" is not a URL.');
    expect(await error.locator('.error-message__hint').textContent()).toMatch(/\S/);
    expect([await name.inputValue(), await address.inputValue()]).toEqual(['Lab', 'lab.example.com']);
    await shot('5-mirror-refused', card());

    await address.fill('http://127.0.0.1:9/lab/');
    await card().getByRole('button', { name: 'Add mirror server' }).click();
    await expect.poll(() => card().getByTestId('manual-mirror').count(), { timeout: 20_000 }).toBe(1);
    expect(await card().getByTestId('manual-mirror').textContent()).toContain('http://127.0.0.1:9/lab');
    expect(await error.count()).toBe(0);
    expect(await name.inputValue()).toBe('');
    await expect.poll(() => pinOptions(), { timeout: 20_000 }).toContain('Lab');

    await card().getByRole('button', { name: 'Remove mirror server Lab' }).click();
    await expect.poll(() => card().getByTestId('manual-mirror').count(), { timeout: 20_000 }).toBe(0);
    await expect.poll(() => pinOptions(), { timeout: 20_000 }).not.toContain('Lab');
    expect((await client.call('primaries.list', {}))[0]!.manualMirrors).toEqual([]);
  });

  it('offers the mirrors discovery saw; pinning the farther one makes discovery recommend it because of the pin', { timeout: 90_000 }, async () => {
    const first = await client.call('discovery.run', { repository: 'PROJ/repo', primary: world.topology.primary.baseUrl, samples: 3, refresh: true });
    expect(first.chosen).toBe(world.topology.mirrors.near!.id);
    await reload();
    // Repositories' primary list leads here, to this primary's card.
    await page.getByRole('button', { name: 'Repositories', exact: true }).click();
    await page.getByTestId('primary-list').getByRole('button', { name: `Manage ${primaryName} in Settings` }).click();
    await expect.poll(() => page.evaluate(`document.activeElement?.closest('[data-testid="primary-card"]')?.getAttribute('data-base-url')`)).toBe(world.topology.primary.baseUrl);
    await expect.poll(() => pinOptions(), { timeout: 20_000 }).toEqual(['None: the closest', `The primary itself (${primaryName})`, 'near', 'far']);

    // Chosen is saved: no Save button.
    await pinSelect().selectOption({ label: 'far' });
    await expect.poll(() => card().getByTestId('pin-status').textContent(), { timeout: 20_000 }).toBe('Saved');
    await expect.poll(() => card().getByTestId('pin-effect').textContent(), { timeout: 20_000 }).toBe('Clones of this primary use far when it is healthy and up to date; otherwise the closest.');
    await reload();
    expect(await pinSelect().inputValue()).toBe(world.topology.mirrors.far!.id);
    await shot('6-pinned', card());

    const pinned = await client.call('discovery.run', { repository: 'PROJ/repo', primary: world.topology.primary.baseUrl, samples: 3, refresh: true });
    expect(pinned.chosen).toBe(world.topology.mirrors.far!.id);
    expect(pinned.reason).toMatch(/^far: pinned by you, .*closest measured: near/);
  });

  it('shows a mirror Bitbucket has disabled in the preferred server list, but not as a choice', { timeout: 90_000 }, async () => {
    world.topology.setMirrorEnabled('near', false);
    try {
      await client.call('discovery.run', { repository: 'PROJ/repo', primary: world.topology.primary.baseUrl, samples: 3, refresh: true });
      await reload();
      await expect.poll(() => pinOptions(), { timeout: 20_000 }).toContain('near (disabled in Bitbucket)');
      const near = pinSelect().locator('option', { hasText: 'near' });
      expect(await near.isDisabled()).toBe(true);
      expect(await pinSelect().inputValue()).toBe(world.topology.mirrors.far!.id);
      await shot('6b-disabled-mirror', card());
    } finally {
      world.topology.setMirrorEnabled('near', true);
    }
  });

  it('stays readable at 200% zoom', { timeout: 60_000 }, async () => {
    const { page: zoomed, errors: zoomedErrors } = await world.openPage({ context: at200PercentZoom });
    try {
      await zoomed.getByRole('button', { name: 'Settings', exact: true }).click();
      await expect.poll(() => zoomed.getByTestId('primary-card').count(), { timeout: 20_000 }).toBe(1);
      await photographStep(zoomed, 'settings-7-zoom-200', { axe: false });
      await photographStep(zoomed, 'settings-8-zoom-200-primary', { scrollTo: zoomed.getByTestId('primary-card'), axe: false, fullPage: false });
      expect(await sidewaysOverflow(zoomed, 'main')).toBeLessThanOrEqual(0);
      // This page keeps the CSP: any violation would show here.
      expect(zoomedErrors).toEqual([]);
    } finally {
      await zoomed.context().close();
    }
  });

  it('removes the primary after a keyboard-reachable confirmation: its token leaves the keychain and Repositories asks to connect one', { timeout: 60_000 }, async () => {
    const account = primaryAccount(world.topology.primary.baseUrl);
    expect(await keychainHasEntry(world.keyring.env, account)).toBe(true);
    const removeButton = card().getByRole('button', { name: 'Remove…' });
    await removeButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('remove-confirmation').count()).toBe(1);
    // Focus lands on the harmless choice; Escape backs out to where the user was.
    expect(await focusedText()).toBe('Cancel');
    await shot('9-remove-confirm', card());
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('remove-confirmation').count()).toBe(0);
    await expect.poll(() => focusedText()).toBe('Remove…');
    expect(await keychainHasEntry(world.keyring.env, account)).toBe(true);

    await page.keyboard.press('Enter');
    await expect.poll(() => focusedText()).toBe('Cancel');
    await page.keyboard.press('Shift+Tab');
    expect(await focusedText()).toBe(`Remove ${primaryName}`);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('primaries-empty').count(), { timeout: 20_000 }).toBe(1);
    expect(await card().count()).toBe(0);
    expect(await keychainHasEntry(world.keyring.env, account)).toBe(false);
    expect(await client.call('primaries.list', {})).toEqual([]);
    await shot('10-no-primary', page.getByTestId('settings-primaries'));

    await page.getByTestId('primaries-empty').getByRole('button', { name: 'Connect a primary' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Connect a primary' }).count()).toBe(1);
    await shot('11-repositories-connect');
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });
});
