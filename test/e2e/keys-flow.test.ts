/**
 * The SSH keys section in real Chromium against a real helper process (its own keychain, HOME
 * with ~/.ssh and known_hosts, no agent) and an emulated Bitbucket: a primary and two mirrors, one
 * of which refuses Ed25519 keys. Both keys are uploaded to the primary; the check shows Ed25519
 * refused on the strict mirror with its fix, ECDSA accepted everywhere; a key is generated from
 * the UI. Every state is photographed light and dark (test-results/screenshots/keys-*.png) and
 * checked with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { uploadPublicKey } from '../support/ssh-keys';
import { connectClient } from '../support/websocket-client';
import { photographStep } from '../support/photograph';
import { findMirrors } from '../support/app-actions';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';

const run = promisify(execFile);

let world: E2eWorld;
let page: Page;
let errors: string[];
const fingerprints: Record<string, string> = {};

beforeAll(async () => {
  world = await startE2eWorld({
    topology: { mirrors: [{ name: 'near' }, { name: 'strict', refuseKeyTypes: ['ED25519'] }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] },
    // The only keys the helper sees (the world gives it no agent).
    sshKeys: ['ed25519', 'ecdsa'],
    async prepare({ topology, userHome }) {
      const sshFolder = path.join(userHome, '.ssh');
      for (const type of ['ed25519', 'ecdsa']) {
        const publicKey = path.join(sshFolder, `id_${type}.pub`);
        fingerprints[type] = /SHA256:\S+/.exec((await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKey])).stdout)![0];
        await uploadPublicKey(topology, publicKey);
      }
      await writeFile(path.join(sshFolder, 'known_hosts'), [topology.primary, topology.mirrors.near!, topology.mirrors.strict!].map((instance) => `${instance.ssh!.knownHostsLine}\n`).join(''));
    },
  });
  await world.connectPrimary();
  ({ page, errors } = await world.openPage());
}, 240_000);

afterAll(() => world?.stop(), 60_000);

const violations: string[] = [];

async function shot(name: string, scrollTo?: string): Promise<void> {
  violations.push(...(await photographStep(page, `keys-${name}`, { scrollTo: scrollTo ? page.getByTestId(scrollTo) : undefined })));
}

const keyCard = (type: string) => page.locator(`[data-testid="ssh-key"][data-fingerprint="${fingerprints[type]}"]`);
const outcome = (server: string, type: string) =>
  page.locator(`[data-testid="key-matrix-row"][data-server="${server}"] [data-testid="key-outcome"][data-key="${fingerprints[type]}"]`);

describe('SSH keys in the app', () => {
  it('lists both keys with their type and fingerprint', { timeout: 120_000 }, async () => {
    await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    await page.getByRole('button', { name: 'SSH keys' }).click();
    await expect.poll(() => page.getByTestId('ssh-key').count(), { timeout: 20_000 }).toBe(2);
    expect(await keyCard('ed25519').textContent()).toContain('Ed25519');
    expect(await keyCard('ecdsa').textContent()).toContain('ECDSA');
    expect(await keyCard('ecdsa').textContent()).toContain(fingerprints.ecdsa);
    await shot('1-list');
  });

  it('checks PROJ/repo: Ed25519 refused on the strict mirror with its fix, ECDSA accepted everywhere', { timeout: 120_000 }, async () => {
    const field = page.getByLabel(/^Repository whose servers to check/);
    // A repository the primary does not have: the error and what to do about it.
    await field.fill('PROJ/missing');
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('key-check-error').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('key-check-error').textContent()).toMatch(/\S/);
    await shot('2a-check-error', 'key-check');

    await field.fill('PROJ/repo');
    // Keyboard: the action is reached and run from the field.
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('key-matrix').count(), { timeout: 60_000 }).toBe(1);
    const rows = page.getByTestId('key-matrix-row');
    expect(await rows.count()).toBe(3);
    const primaryName = await page.locator('[data-testid="key-matrix-row"][data-kind="primary"]').getAttribute('data-server');
    for (const server of [primaryName!, 'near', 'strict']) {
      expect(await outcome(server, 'ecdsa').getAttribute('data-outcome')).toBe('accepted');
      expect(await outcome(server, 'ecdsa').textContent()).toContain('✓');
    }
    expect(await outcome(primaryName!, 'ed25519').getAttribute('data-outcome')).toBe('accepted');
    expect(await outcome('near', 'ed25519').getAttribute('data-outcome')).toBe('accepted');
    expect(await outcome('strict', 'ed25519').getAttribute('data-outcome')).toBe('refused');
    expect(await outcome('strict', 'ed25519').textContent()).toContain('✗');

    const warning = page.locator('[data-testid="key-check-warnings"] [data-testid="key-warning"][data-code="refused-by-server"]');
    expect(await warning.count()).toBe(1);
    expect(await warning.getAttribute('data-server')).toBe('strict');
    expect(await warning.isVisible()).toBe(true);
    expect(await warning.textContent()).toMatch(/Fix: .*ssh-keygen -t ecdsa/);
    // Both keys are on the primary: no upload offered.
    expect(await page.getByTestId('ssh-keys').getByRole('button', { name: /^Upload/ }).count()).toBe(0);
    await shot('2b-checked', 'key-check');
  });

  it('says in the clone options which key the chosen server accepts, from that check', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Repositories' }).click();
    await findMirrors(page, 'PROJ/repo');
    await page.locator('[data-testid="candidate"][data-name="strict"]').getByRole('radio').check();
    const readiness = page.getByTestId('ssh-readiness');
    await expect.poll(() => readiness.textContent()).toBe('strict accepts id_ecdsa.');
    expect(await page.getByRole('radio', { name: 'SSH' }).isEnabled()).toBe(true);
    await shot('2c-clone-options', 'clone-panel');
    await page.getByRole('button', { name: 'SSH keys' }).click();
  });

  it('generates a key from the UI and lists it', { timeout: 120_000 }, async () => {
    const button = page.getByRole('button', { name: 'Generate a key' });
    await button.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('generated-key').count(), { timeout: 30_000 }).toBe(1);
    // ECDSA: a checked server refused Ed25519; id_ecdsa exists, so a free name next to it.
    expect(await page.getByTestId('generated-key').textContent()).toContain('ECDSA');
    await expect.poll(() => page.getByTestId('ssh-key').count(), { timeout: 20_000 }).toBe(3);
    expect(await page.getByTestId('generated-key').getByRole('button', { name: /^Upload to / }).count()).toBe(1);
    await shot('3-generated', 'key-generate');

    await page.getByTestId('generated-key').getByRole('button', { name: /^Upload to / }).click();
    await expect.poll(() => page.getByTestId('generated-key').getByTestId('upload-result').count(), { timeout: 30_000 }).toBe(1);
    await shot('4-uploaded', 'key-generate');

    // A key the primary already has (uploaded behind the app's back): Bitbucket's 409 comes
    // back as a message with what to do.
    await page.getByRole('button', { name: 'Generate a key' }).click();
    await expect.poll(async () => (await page.getByTestId('generated-key').getByTestId('upload-result').count()) === 0 && (await page.getByTestId('ssh-key').count()), { timeout: 30_000 }).toBe(4);
    const privateKeyPath = (await page.getByTestId('generated-key').locator('code').first().textContent())!;
    await uploadPublicKey(world.topology, `${privateKeyPath}.pub`);
    await page.getByTestId('generated-key').getByRole('button', { name: /^Upload to / }).click();
    const uploadError = page.getByTestId('generated-key').getByTestId('upload-error');
    await expect.poll(() => uploadError.count(), { timeout: 30_000 }).toBe(1);
    expect(await uploadError.getAttribute('data-code')).toBe('CONFLICT');
    expect(await uploadError.locator('.error-message__hint').textContent()).toMatch(/\S/);
    await shot('4b-upload-conflict', 'key-generate');
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('shows a designed empty state when there is no key at all', { timeout: 120_000 }, async () => {
    // Another helper whose HOME has no .ssh folder, and no primary connected.
    await mkdir(path.join(world.tempDir, 'empty-home'));
    const empty = await world.startHelper({ dataDir: path.join(world.tempDir, 'empty-data'), env: { HOME: path.join(world.tempDir, 'empty-home') } });
    try {
      await page.goto(empty.address.uiUrl!);
      await page.getByRole('button', { name: 'SSH keys' }).click();
      await expect.poll(() => page.getByTestId('keys-empty').count(), { timeout: 20_000 }).toBe(1);
      expect(await page.getByRole('button', { name: 'Generate a key' }).count()).toBe(1);
      // No primary yet: the check says where to connect one instead of failing.
      await expect.poll(() => page.getByTestId('keys-no-primary').count(), { timeout: 20_000 }).toBe(1);
      await shot('5-empty');
      await page.getByTestId('keys-no-primary').getByRole('button', { name: 'Connect a primary' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'Connect a primary' }).count()).toBe(1);

      // With a primary but still no key, the clone options do not offer SSH, and say why.
      const { client, socket } = await connectClient(empty.address.url, empty.address.token);
      await client.call('primaries.add', { baseUrl: world.topology.primary.baseUrl, credentials: { kind: 'token', token: world.topology.credentials.token } });
      socket.close();
      await page.reload();
      await findMirrors(page, 'PROJ/repo');
      expect(await page.getByRole('radio', { name: 'SSH' }).isDisabled()).toBe(true);
      expect(await page.getByTestId('ssh-readiness').textContent()).toMatch(/^No usable SSH key in .*empty-home\/\.ssh or the agent: generate one under SSH keys\./);
      await shot('6-clone-without-keys', 'clone-panel');
      await page.getByTestId('ssh-readiness').getByRole('button', { name: 'Open SSH keys' }).click();
      await expect.poll(() => page.getByTestId('keys-empty').count()).toBe(1);
      expect(violations).toEqual([]);
    } finally {
      await empty.stop();
    }
  });
});
