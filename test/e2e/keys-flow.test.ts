/**
 * The SSH keys section in real Chromium against a real helper process (its own keychain, HOME
 * with ~/.ssh and known_hosts, no agent) and an emulated Bitbucket: a primary and two mirrors, one
 * of which refuses Ed25519 keys. Both keys are uploaded to the primary; the check shows Ed25519
 * refused on the strict mirror with its fix, ECDSA accepted everywhere. Keys are generated from
 * the UI with each choice (type, size, passphrase, comment) and checked on disk; an upload stays
 * reachable after leaving the page and clears the key's warning; host keys are reviewed and
 * trusted from the SSH keys page and from the clone panel. Every state is photographed at
 * 1280×860 and 900×700, light and dark (test-results/screenshots/keys-*.png), and checked with axe.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { uploadPublicKey } from '../support/ssh-keys';
import { connectClient } from '../support/websocket-client';
import { photographStep } from '../support/photograph';
import { findMirrors } from '../support/app-actions';
import { sidewaysOverflow, startE2eWorld, type E2eWorld } from '../support/e2e-world';

const run = promisify(execFile);

let world: E2eWorld;
let page: Page;
let errors: string[];
const fingerprints: Record<string, string> = {};
const sizes = [{ width: 1280, height: 860 }, { width: 900, height: 700 }] as const;

beforeAll(async () => {
  world = await startE2eWorld({
    topology: { mirrors: [{ name: 'near' }, { name: 'strict', refuseKeyTypes: ['ED25519'] }], projects: [{ key: 'PROJ', repos: [{ slug: 'repo' }] }] },
    // The only keys the helper sees (the world gives it no agent).
    sshKeys: ['ed25519', 'ecdsa'],
    async prepare({ topology, userHome }) {
      const sshFolder = path.join(userHome, '.ssh');
      for (const type of ['ed25519', 'ecdsa']) {
        const publicKey = path.join(sshFolder, `id_${type}.pub`);
        fingerprints[type] = await fingerprintOf(publicKey);
        await uploadPublicKey(topology, publicKey);
      }
      await writeFile(path.join(sshFolder, 'known_hosts'), [topology.primary, topology.mirrors.near!, topology.mirrors.strict!].map((instance) => `${instance.ssh!.knownHostsLine}\n`).join(''));
    },
  });
  await world.connectPrimary();
  ({ page, errors } = await world.openPage({ context: { viewport: sizes[0] } }));
}, 240_000);

afterAll(() => world?.stop(), 60_000);

const violations: string[] = [];

async function fingerprintOf(publicKeyFile: string): Promise<string> {
  return /SHA256:\S+/.exec((await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicKeyFile])).stdout)![0];
}

/** Both window sizes, light and dark; the page is left at 1280×860. */
async function shot(name: string, scrollTo?: string): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    violations.push(...(await photographStep(page, `keys-${name}-${size.width}`, { scrollTo: scrollTo ? page.getByTestId(scrollTo) : undefined })));
    // The window itself never scrolls: only the content pane does (the layout holds).
    expect(await page.evaluate('document.documentElement.scrollHeight - window.innerHeight')).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(sizes[0]);
}

/** Every fingerprint on screen on one line (shortened at most, never broken), its whole value in its title. */
async function fingerprintsHoldTogether(): Promise<void> {
  const values = page.locator('.fingerprint__value');
  for (let index = 0; index < (await values.count()); index += 1) {
    const value = values.nth(index);
    if (!(await value.isVisible())) continue;
    const { lines, title } = await value.evaluate((element) => ({ lines: element.getClientRects().length === 1 && element.getBoundingClientRect().height < 2 * parseFloat(element.ownerDocument.defaultView!.getComputedStyle(element).fontSize) * 1.2 ? 1 : 2, title: element.getAttribute('title') }));
    expect(lines).toBe(1);
    expect(title).toMatch(/^SHA256:[A-Za-z0-9+/=]{40,}$/);
  }
  expect(await sidewaysOverflow(page)).toBeLessThanOrEqual(0);
}

const keyCard = (fingerprint: string) => page.locator(`[data-testid="ssh-key"][data-fingerprint="${fingerprint}"]`);
const outcome = (server: string, fingerprint: string) =>
  page.locator(`[data-testid="key-matrix-row"][data-server="${server}"] [data-testid="key-outcome"][data-key="${fingerprint}"]`);
const knownHosts = () => path.join(world.userHome, '.ssh', 'known_hosts');
const hostName = (instance: { ssh?: { port: number } }) => `127.0.0.1:${instance.ssh!.port}`;

async function runCheck(reference: string): Promise<void> {
  const field = page.getByLabel(/^Repository whose servers to check/);
  await field.fill('');
  await field.pressSequentially(reference, { delay: 40 });
  await field.press('Enter');
  await expect.poll(() => page.getByTestId('key-check').getByText('Trying every key on every server…').count(), { timeout: 60_000 }).toBe(0);
}

/** Fills the Generate form as a person would, submits it, and answers with the new key's private key file. */
async function generateKey(choice: { type?: string; passphrase?: string; confirmation?: string; comment?: string }): Promise<string> {
  const before = await page.getByTestId('generated-key').getAttribute('data-path').catch(() => null);
  if ((await page.getByRole('form', { name: 'Generate a key' }).count()) === 0) await page.getByRole('button', { name: 'Generate a key' }).click();
  if (choice.type) await page.getByRole('radio', { name: choice.type, exact: true }).check();
  for (const [label, value] of [['Passphrase (optional)', choice.passphrase], ['Passphrase again', choice.confirmation ?? choice.passphrase]] as const) {
    if (value === undefined) continue;
    const field = page.getByLabel(label, { exact: true });
    await field.fill('');
    await field.pressSequentially(value, { delay: 30 });
  }
  if (choice.comment !== undefined) {
    const field = page.getByLabel(/^Comment/);
    await field.fill('');
    await field.pressSequentially(choice.comment, { delay: 30 });
  }
  await page.getByRole('button', { name: /^Generate .+ key$/ }).press('Enter');
  await expect.poll(async () => (await page.getByTestId('generated-key').count()) === 1 && (await page.getByTestId('generated-key').getAttribute('data-path')), { timeout: 60_000 }).not.toBe(before ?? false);
  return (await page.getByTestId('generated-key').getAttribute('data-path'))!;
}

async function onDisk(privateKeyPath: string): Promise<{ bits: number; fingerprint: string; comment: string; type: string }> {
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${privateKeyPath}.pub`]);
  const [, bits, fingerprint, comment, type] = /^(\d+) (SHA256:\S+) (.*) \((\w+)\)$/.exec(stdout.trim())!;
  return { bits: Number(bits), fingerprint: fingerprint!, comment: comment!, type: type! };
}

describe('SSH keys in the app', () => {
  it('lists both keys with their type and fingerprint', { timeout: 120_000 }, async () => {
    await expect.poll(() => page.getByTestId('helper-connection').textContent(), { timeout: 20_000 }).toBe('Connected');
    await page.getByRole('button', { name: 'SSH keys' }).click();
    await expect.poll(() => page.getByTestId('ssh-key').count(), { timeout: 20_000 }).toBe(2);
    expect(await keyCard(fingerprints.ed25519!).textContent()).toContain('Ed25519');
    expect(await keyCard(fingerprints.ecdsa!).textContent()).toContain('ECDSA');
    expect(await keyCard(fingerprints.ecdsa!).locator('.fingerprint__value').getAttribute('title')).toBe(fingerprints.ecdsa);
    // The primary's key list says both are there: no upload offered, before any check.
    await expect.poll(() => page.getByTestId('key-on-primary').count(), { timeout: 20_000 }).toBe(2);
    expect(await page.getByTestId('ssh-keys').getByRole('button', { name: /^Upload/ }).count()).toBe(0);
    await shot('1-list');
    await page.setViewportSize(sizes[1]);
    await fingerprintsHoldTogether();
    await page.setViewportSize(sizes[0]);
  });

  it('checks PROJ/repo: Ed25519 refused on the strict mirror with its fix under that key, ECDSA accepted everywhere', { timeout: 120_000 }, async () => {
    // A repository the primary does not have: the error and what to do about it.
    await runCheck('PROJ/missing');
    await expect.poll(() => page.getByTestId('key-check-error').count(), { timeout: 60_000 }).toBe(1);
    expect(await page.getByTestId('key-check-error').textContent()).toMatch(/\S/);

    await runCheck('PROJ/repo');
    await expect.poll(() => page.getByTestId('key-matrix').count(), { timeout: 60_000 }).toBe(1);
    const rows = page.getByTestId('key-matrix-row');
    expect(await rows.count()).toBe(3);
    const primaryName = await page.locator('[data-testid="key-matrix-row"][data-kind="primary"]').getAttribute('data-server');
    for (const server of [primaryName!, 'near', 'strict']) {
      expect(await outcome(server, fingerprints.ecdsa!).getAttribute('data-outcome')).toBe('accepted');
      expect(await outcome(server, fingerprints.ecdsa!).textContent()).toContain('✓');
    }
    expect(await outcome(primaryName!, fingerprints.ed25519!).getAttribute('data-outcome')).toBe('accepted');
    expect(await outcome('near', fingerprints.ed25519!).getAttribute('data-outcome')).toBe('accepted');
    expect(await outcome('strict', fingerprints.ed25519!).getAttribute('data-outcome')).toBe('refused');
    expect(await outcome('strict', fingerprints.ed25519!).textContent()).toContain('✗');

    const warning = keyCard(fingerprints.ed25519!).locator('[data-testid="key-warning"][data-code="refused-by-server"]');
    expect(await warning.count()).toBe(1);
    expect(await warning.getAttribute('data-server')).toBe('strict');
    expect(await warning.isVisible()).toBe(true);
    // The command reads as code, not as text between literal backticks.
    expect(await warning.locator('code').first().textContent()).toMatch(/^ssh-keygen -t ecdsa/);
    expect(await warning.textContent()).not.toContain('`');
    expect(await page.getByTestId('key-check-ok').textContent()).toMatch(/^Every server accepts one of your keys; see the warnings/);
    expect(await page.getByTestId('key-host-review').count()).toBe(0);
    await shot('2-checked', 'key-check');
  });

  it('says in the clone options which key the chosen server accepts, from that check', { timeout: 120_000 }, async () => {
    await page.getByRole('button', { name: 'Repositories' }).click();
    await findMirrors(page, 'PROJ/repo');
    await page.locator('[data-testid="candidate"][data-name="strict"]').getByRole('radio').check();
    const readiness = page.getByTestId('ssh-readiness');
    await expect.poll(() => readiness.textContent(), { timeout: 20_000 }).toBe('strict accepts id_ecdsa.');
    expect(await page.getByRole('radio', { name: 'SSH' }).isEnabled()).toBe(true);
    await page.getByRole('button', { name: 'SSH keys' }).click();
  });

  it('generates keys with each choice of type, size, passphrase and comment, as asked', { timeout: 240_000 }, async () => {
    await page.getByRole('button', { name: 'Generate a key' }).click();
    // strict refused Ed25519 in the check: the default is a type every server accepted, and why.
    expect(await page.getByRole('radio', { name: 'ECDSA', exact: true }).isChecked()).toBe(true);
    expect(await page.getByTestId('key-type-reason').textContent()).toBe('strict refused an Ed25519 key in the last check; ECDSA was accepted by every checked server.');
    const defaultComment = `${os.userInfo().username}@${os.hostname()}`;
    expect(await page.getByLabel(/^Comment/).inputValue()).toBe(defaultComment);
    await shot('3-generate-form', 'key-generate');

    // Bad input first: a passphrase too short for ssh-keygen, then two that differ. No key is made.
    const keysBefore = await page.getByTestId('ssh-key').count();
    await page.getByLabel('Passphrase (optional)', { exact: true }).pressSequentially('abc', { delay: 30 });
    await page.getByLabel('Passphrase again', { exact: true }).pressSequentially('abc', { delay: 30 });
    await page.getByRole('button', { name: 'Generate ECDSA key' }).click();
    expect(await page.getByTestId('generate-problem').textContent()).toMatch(/at least 5 characters/);
    for (const [label, value] of [['Passphrase (optional)', 'correct horse'], ['Passphrase again', 'correct hose']] as const) {
      await page.getByLabel(label, { exact: true }).fill('');
      await page.getByLabel(label, { exact: true }).pressSequentially(value, { delay: 30 });
    }
    await page.getByRole('button', { name: 'Generate ECDSA key' }).press('Enter');
    expect(await page.getByTestId('generate-problem').textContent()).toBe('The two passphrases differ: type the same passphrase in both fields.');
    expect(await page.getByLabel('Passphrase again', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('ssh-key').count()).toBe(keysBefore);

    // RSA 3072 with a passphrase and a comment of one's own.
    const rsa3072 = await generateKey({ type: 'RSA 3072', passphrase: 'correct horse', comment: 'ci@build-host' });
    expect(await onDisk(rsa3072)).toMatchObject({ type: 'RSA', bits: 3072, comment: 'ci@build-host' });
    await expect(run('ssh-keygen', ['-y', '-P', 'wrong', '-f', rsa3072])).rejects.toThrow();
    await expect(run('ssh-keygen', ['-y', '-P', 'correct horse', '-f', rsa3072])).resolves.toMatchObject({ stdout: expect.stringMatching(/^ssh-rsa /) });
    expect(await page.getByTestId('generated-key').textContent()).toContain('its passphrase kept in your system keychain');
    fingerprints.rsa3072 = (await onDisk(rsa3072)).fingerprint;
    await expect.poll(() => keyCard(fingerprints.rsa3072!).textContent(), { timeout: 20_000 }).toContain('protected');
    await shot('4-generated', 'key-generate');

    // The suggested type with the default comment and no passphrase: unencrypted.
    const ecdsa = await generateKey({ type: 'ECDSA', passphrase: '', comment: undefined });
    expect(await onDisk(ecdsa)).toMatchObject({ type: 'ECDSA', bits: 521, comment: defaultComment });
    await expect(run('ssh-keygen', ['-y', '-P', '', '-f', ecdsa])).resolves.toMatchObject({ stdout: expect.stringMatching(/^ecdsa-sha2-nistp521 /) });
    fingerprints.generatedEcdsa = (await onDisk(ecdsa)).fingerprint;

    const ed25519 = await generateKey({ type: 'Ed25519', comment: 'laptop ed' });
    expect(await onDisk(ed25519)).toMatchObject({ type: 'ED25519', bits: 256, comment: 'laptop ed' });

    const rsa4096 = await generateKey({ type: 'RSA 4096' });
    expect(await onDisk(rsa4096)).toMatchObject({ type: 'RSA', bits: 4096, comment: defaultComment });
    fingerprints.rsa4096 = (await onDisk(rsa4096)).fingerprint;
    await expect.poll(() => page.getByTestId('ssh-key').count(), { timeout: 20_000 }).toBe(keysBefore + 4);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('offers Upload for a key the primary lacks after leaving the page and coming back, and the warning goes once uploaded', { timeout: 180_000 }, async () => {
    await runCheck('PROJ/repo');
    await expect.poll(() => page.getByTestId('key-matrix').count(), { timeout: 60_000 }).toBe(1);
    const card = keyCard(fingerprints.generatedEcdsa!);
    await expect.poll(() => card.locator('[data-testid="key-warning"][data-code="not-uploaded"]').count()).toBe(1);

    await page.getByRole('button', { name: 'Repositories' }).click();
    await page.getByRole('button', { name: 'SSH keys' }).click();
    const upload = card.getByRole('button', { name: /^Upload to / });
    await expect.poll(() => upload.count(), { timeout: 20_000 }).toBe(1);
    expect(await card.textContent()).toContain('Not on');
    expect(await card.locator('[data-testid="key-warning"][data-code="not-uploaded"]').count()).toBe(1);
    await shot('5-upload-offered', 'ssh-keys');

    await upload.click();
    await expect.poll(() => card.getByTestId('key-on-primary').count(), { timeout: 30_000 }).toBe(1);
    expect(await card.locator('[data-testid="key-warning"][data-code="not-uploaded"]').count()).toBe(0);
    expect(await card.getByRole('button', { name: /^Upload to / }).count()).toBe(0);
    await shot('6-uploaded', 'ssh-keys');

    // A key the primary got behind the app's back: Bitbucket's 409 comes back with what to do.
    const rsaCard = keyCard(fingerprints.rsa4096!);
    const privateKeyPath = (await page.locator(`[data-testid="ssh-key"][data-fingerprint="${fingerprints.rsa4096}"]`).getAttribute('data-name'))!;
    await uploadPublicKey(world.topology, path.join(world.userHome, '.ssh', `${privateKeyPath}.pub`));
    await rsaCard.getByRole('button', { name: /^Upload to / }).click();
    const uploadError = rsaCard.getByTestId('upload-error');
    await expect.poll(() => uploadError.count(), { timeout: 30_000 }).toBe(1);
    expect(await uploadError.getAttribute('data-code')).toBe('CONFLICT');
    expect(await uploadError.locator('.error-message__hint').textContent()).toMatch(/\S/);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('reviews and trusts a host key from the SSH keys page, after which the clone panel offers SSH', { timeout: 180_000 }, async () => {
    const { near } = world.topology.mirrors;
    const lines = (await readFile(knownHosts(), 'utf8')).split('\n').filter((line) => line && !line.startsWith(`[127.0.0.1]:${near!.ssh!.port} `));
    await writeFile(knownHosts(), `${lines.join('\n')}\n`);

    await runCheck('PROJ/repo');
    const review = page.getByTestId('key-host-review');
    await expect.poll(() => review.count(), { timeout: 60_000 }).toBe(1);
    const row = review.locator(`[data-testid="host-key"][data-server="${hostName(near!)}"]`);
    expect(await row.count()).toBeGreaterThan(0);
    expect(await review.getByTestId('host-key-fingerprint').allTextContents()).toContain(near!.ssh!.hostKeyFingerprint);
    expect(await review.textContent()).not.toContain('`');
    expect(await page.getByTestId('key-check-ok').count()).toBe(0);
    await shot('7-host-key-review', 'key-host-review');
    for (const size of sizes) {
      await page.setViewportSize(size);
      await review.scrollIntoViewIfNeeded();
      await fingerprintsHoldTogether();
    }
    await page.setViewportSize(sizes[0]);

    await review.getByRole('button', { name: /^Trust th(is key|ese keys) and check again$/ }).click();
    await expect.poll(() => review.count(), { timeout: 60_000 }).toBe(0);
    await expect.poll(() => outcome('near', fingerprints.ecdsa!).getAttribute('data-outcome'), { timeout: 60_000 }).toBe('accepted');
    expect(await readFile(knownHosts(), 'utf8')).toContain(`[127.0.0.1]:${near!.ssh!.port}`);

    await page.getByRole('button', { name: 'Repositories' }).click();
    await findMirrors(page, 'PROJ/repo');
    await page.locator('[data-testid="candidate"][data-name="near"]').getByRole('radio').check();
    await expect.poll(() => page.getByTestId('ssh-readiness').textContent(), { timeout: 20_000 }).toBe('near accepts id_ecdsa.');
    expect(await page.getByRole('radio', { name: 'SSH' }).isEnabled()).toBe(true);
  });

  it('does not offer SSH in the clone panel while a host key is unknown, says why, and trusts it in place', { timeout: 180_000 }, async () => {
    const { strict } = world.topology.mirrors;
    const lines = (await readFile(knownHosts(), 'utf8')).split('\n').filter((line) => line && !line.startsWith(`[127.0.0.1]:${strict!.ssh!.port} `));
    await writeFile(knownHosts(), `${lines.join('\n')}\n`);

    await page.locator('[data-testid="candidate"][data-name="strict"]').getByRole('radio').check();
    const readiness = page.getByTestId('ssh-readiness');
    await expect.poll(() => readiness.textContent(), { timeout: 30_000 }).toContain(`The SSH host key of ${hostName(strict!)} is not trusted on this computer yet`);
    expect(await page.getByRole('radio', { name: 'SSH' }).isDisabled()).toBe(true);
    await readiness.getByRole('button', { name: 'Review the host key' }).click();
    const review = page.getByTestId('clone-host-keys');
    expect(await review.getByTestId('host-key-fingerprint').allTextContents()).toContain(strict!.ssh!.hostKeyFingerprint);
    await shot('8-clone-host-key', 'clone-host-keys');
    await page.setViewportSize(sizes[1]);
    await fingerprintsHoldTogether();
    await page.setViewportSize(sizes[0]);

    await review.getByRole('button', { name: /^Trust th(is key|ese keys)$/ }).click();
    await expect.poll(() => page.getByRole('radio', { name: 'SSH' }).isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await readiness.textContent()).toBe('strict accepts id_ecdsa.');
    expect(await page.getByTestId('clone-host-keys').count()).toBe(0);
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });

  it('with no key at all: a designed empty state, and the check says there is nothing to check (never "no problems")', { timeout: 120_000 }, async () => {
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
      await shot('9-empty');
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
      await page.getByTestId('ssh-readiness').getByRole('button', { name: 'Open SSH keys' }).click();
      await expect.poll(() => page.getByTestId('keys-empty').count()).toBe(1);

      // The check has nothing to try: it says so and offers a key, with no table and no green.
      const none = page.getByTestId('keys-none-to-check');
      await expect.poll(() => none.count(), { timeout: 20_000 }).toBe(1);
      expect(await none.textContent()).toContain('No keys to check');
      expect(await page.getByLabel(/^Repository whose servers to check/).count()).toBe(0);
      expect(await page.getByTestId('key-matrix').count()).toBe(0);
      expect(await page.getByTestId('key-check-ok').count()).toBe(0);
      expect(await page.getByText('No problems found').count()).toBe(0);
      await none.getByRole('button', { name: 'Generate a key' }).click();
      expect(await page.getByRole('form', { name: 'Generate a key' }).isVisible()).toBe(true);
      // Nothing was checked: the modern default, said as such.
      expect(await page.getByRole('radio', { name: 'Ed25519', exact: true }).isChecked()).toBe(true);
      await shot('10-no-keys-to-check', 'keys-none-to-check');
      expect(violations).toEqual([]);
    } finally {
      await empty.stop();
    }
  });
});
