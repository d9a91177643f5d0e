/**
 * mirror-clone:// links and dropped team files, in real Chromium against a real helper, an
 * emulated Bitbucket and an https file host with a test CA the helper trusts (its CA-file
 * setting). A link in the page's address (#link=) opens the clone panel with the field filled and
 * the repository looked up; links handed over as the desktop shell does: one to another server
 * only fills the field, a team link opens the team file's summary (and a 401 or a sign-in page
 * says why not), hostile links are refused with their reason and change nothing; a team file
 * dropped on the window opens its summary, and anything else dropped says why not. No link
 * starts a clone. Screens at 1280x860 and 900x700 (test-results/screenshots/link-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { photographAtBothSizes } from '../support/photograph';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';
import { createTestCertificates, type TestCertificates } from '../fixtures/tls/certificates';
import { startTeamFileServer, type TeamFileServer } from '../fixtures/tls/team-file-server';
import { writeTeamFile } from '../../shared/team-file';

let world: E2eWorld;
let certs: TestCertificates;
let files: TeamFileServer | undefined;
let page: Page;
let errors: string[];
const violations: string[] = [];

const link = (action: 'clone' | 'team', url: string) => `mirror-clone://${action}?url=${encodeURIComponent(url)}`;
const cloneUrl = () => `${world.topology.primary.baseUrl}/scm/core/api.git`;

beforeAll(async () => {
  certs = await createTestCertificates();
  world = await startE2eWorld({
    topology: {
      mirrors: [{ name: 'near', delayMs: 1 }],
      projects: [
        { key: 'CORE', name: 'Core', repos: [{ slug: 'api', seed: 1 }, { slug: 'web', seed: 2 }] },
        { key: 'LIBS', name: 'Libraries', repos: [{ slug: 'lib-a', seed: 3 }] },
      ],
    },
    // The file host's certificate is signed by the test CA: trusted as a company CA would be.
    prepare: async ({ topology }) => {
      files = await startTeamFileServer(certs.valid, () => writeTeamFile({ primary: topology.primary.baseUrl, projects: ['CORE'], repositories: ['LIBS/lib-a'], layout: 'by-project', protocol: 'https' }));
      return { MIRROR_CLONE_CA_FILE: certs.caFile };
    },
  });
  await world.connectPrimary();
  // The page opens with a link in its address, as a browser would be sent to it. The desktop
  // shell's link channel is stood in for: __openLink(raw) is what main's hand-over does.
  const address = world.helper.address.uiUrl!;
  ({ page, errors } = await world.openPage({
    context: { viewport: { width: 1280, height: 860 } },
    url: `${address}${address.includes('#') ? '&' : '#'}link=${encodeURIComponent(link('clone', cloneUrl()))}`,
    initScript: `
      window.__linkListeners = [];
      window.mirrorCloneDesktop = {
        chooseFolder: async () => undefined,
        setProgress: () => {},
        notify: () => {},
        onAppLink: (listener) => window.__linkListeners.push(listener),
      };
      window.__openLink = (raw) => window.__linkListeners.forEach((listener) => listener(raw));
    `,
  }));
}, 240_000);

afterAll(async () => {
  await world?.stop();
  await files?.stop();
  await certs?.cleanup();
}, 60_000);

async function shot(name: string, scrollTo: string): Promise<void> {
  violations.push(...(await photographAtBothSizes(page, `link-${name}`, { scrollTo: () => page.getByTestId(scrollTo).first() })));
}

const openLink = (raw: string) => page.evaluate(`window.__openLink(${JSON.stringify(raw)})`);
const field = () => page.getByLabel('Paste a repository URL or PROJECT/repo');
const panelTitle = () => page.getByTestId('clone-panel').locator('.panel__title');
const notice = () => page.getByTestId('link-notice');

/** Drags files over the window and drops them (unless `release` is false), as the OS delivers them to the page. */
async function drop(dropped: { name: string; type: string; text: string }[], options: { release?: boolean } = {}) {
  // Written as page script: the test's own types know nothing of the DOM's drag events.
  await page.evaluate(`(() => {
    const transfer = new DataTransfer();
    for (const file of ${JSON.stringify(dropped)}) transfer.items.add(new File([file.text], file.name, { type: file.type }));
    const target = document.querySelector('main') ?? document.body;
    const send = (type) => target.dispatchEvent(new DragEvent(type, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    send('dragenter');
    send('dragover');
    if (${options.release ?? true}) send('drop');
  })()`);
}

describe('mirror-clone links and dropped team files', () => {
  it('opens the clone panel for a link in the page address, the field filled and the repository looked up', { timeout: 60_000 }, async () => {
    await expect.poll(() => field().inputValue(), { timeout: 20_000 }).toBe(cloneUrl());
    await expect.poll(() => panelTitle().textContent(), { timeout: 30_000 }).toBe('CORE/api');
    await expect.poll(() => page.getByTestId('discovery-reason').count(), { timeout: 30_000 }).toBe(1);
    // Read once: the address no longer holds it (nor the token), so a reload does not open it again.
    expect(page.url()).not.toContain('link=');
    // Shown, not run: no clone was started.
    expect(await page.getByTestId('clone-job').count()).toBe(0);
    expect(existsSync(path.join(world.userHome, 'src', 'api'))).toBe(false);
    await shot('1-clone', 'clone-panel');
  });

  it('fills the field but does not look up a linked repository on a server not connected here', { timeout: 30_000 }, async () => {
    const elsewhere = 'https://bitbucket.elsewhere.example/scm/core/api.git';
    await openLink(link('clone', elsewhere));
    await expect.poll(() => field().inputValue(), { timeout: 5_000 }).toBe(elsewhere);
    expect(await page.getByTestId('repository-field-linked').textContent()).toContain('not looked up until you press Find mirrors');
    await page.waitForTimeout(1_000);
    // Nothing was asked of the other server (a lookup shows a panel, measuring or failing), and the
    // panel of the repository before is gone: its Clone button would clone that one, not the link's.
    expect(await page.getByTestId('clone-panel').count()).toBe(0);
    await shot('2-clone-elsewhere', 'repository-field-linked');
    // Pressing Find mirrors is the click it waited for: the note goes.
    await page.getByRole('button', { name: 'Find mirrors' }).click();
    expect(await page.getByTestId('repository-field-linked').count()).toBe(0);
  });

  it('opens the summary of a linked team file fetched over https, and starts nothing', { timeout: 30_000 }, async () => {
    await openLink(link('team', `${files!.baseUrl}/files/team.json`));
    const summary = page.getByTestId('team-file-summary');
    await expect.poll(() => summary.count(), { timeout: 15_000 }).toBe(1);
    expect(await page.getByTestId('team-file-from').textContent()).toBe(`From a link to ${files!.baseUrl}/files/team.json`);
    expect(await summary.textContent()).toContain('CORE');
    expect(await summary.textContent()).toContain('LIBS/lib-a');
    expect(await page.getByTestId('team-file-clone').isEnabled()).toBe(true);
    expect(await page.getByTestId('clone-batch').count()).toBe(0);
    expect(await notice().count()).toBe(0);
    // The file host was asked without any credentials.
    expect(files!.requests.filter((request) => request.path === '/files/team.json')).toEqual([{ path: '/files/team.json', authorization: undefined }]);
    await shot('3-team', 'team-file');
  });

  it('says why a linked team file behind a sign-in, or a web page, cannot be opened', { timeout: 30_000 }, async () => {
    await page.getByTestId('team-file').getByRole('button', { name: 'Close' }).click();
    await openLink(link('team', `${files!.baseUrl}/files/private.json`));
    const error = page.getByTestId('link-notice-error');
    await expect.poll(() => error.count(), { timeout: 15_000 }).toBe(1);
    expect(await error.textContent()).toMatch(/asks to sign in before it gives the team file \(HTTP 401\).*Download the file in your browser/);
    expect(await page.getByTestId('team-file').count()).toBe(0);
    await shot('4-team-401', 'link-notice');

    // While the file is on its way, the notice says so and can cancel it.
    await openLink(link('team', `${files!.baseUrl}/files/never`));
    await expect.poll(() => notice().getAttribute('data-kind'), { timeout: 5_000 }).toBe('fetching');
    expect(await notice().textContent()).toContain(`Fetching the team file from ${new URL(files!.baseUrl).host}`);
    await notice().getByRole('button', { name: 'Cancel' }).click();
    expect(await notice().count()).toBe(0);

    await openLink(link('team', `${files!.baseUrl}/files/sign-in`));
    await expect.poll(() => error.textContent(), { timeout: 15_000 }).toContain('answered with a web page, not a team file');
    await notice().getByRole('button', { name: 'Dismiss' }).click();
    expect(await notice().count()).toBe(0);
  });

  it('refuses hostile links with the reason, and does nothing else', { timeout: 30_000 }, async () => {
    // Elsewhere in the app: a refused link does not even move the page.
    await page.getByRole('button', { name: 'Settings' }).first().click();
    const before = await field().count();
    const cases: [string, RegExp][] = [
      [link('clone', 'ext::sh -c touch% /tmp/pwned'), /the repository address is refused/],
      [link('clone', 'file:///home/me/secret.git'), /the repository address is refused/],
      [link('clone', 'ssh://-oProxyCommand=touch%20x/repo.git'), /the repository address is refused/],
      [link('team', 'http://wiki.example.com/team.json'), /only over https/],
      ['javascript:alert(document.cookie)', /not a mirror-clone link/],
      ['mirror-clone://%zz?url=', /not a valid link|"clone" or "team"/],
      [`${link('clone', 'https://bitbucket.example.com/scm/core/api.git')}&url=${encodeURIComponent('ext::sh')}`, /exactly one url/],
      [`mirror-clone://clone?url=https://a.example.com/scm/p/${'r'.repeat(3_000)}.git`, /longer than 2048 characters/],
    ];
    for (const [raw, reason] of cases) {
      await openLink(raw);
      await expect.poll(() => notice().getAttribute('data-kind'), { timeout: 5_000 }).toBe('refused');
      expect(await page.getByTestId('link-notice-reason').textContent()).toMatch(reason);
    }
    expect(await field().count()).toBe(before);
    expect(await page.getByRole('heading', { name: 'Settings', level: 1 }).count()).toBe(1);
    expect(existsSync('/tmp/pwned')).toBe(false);
    await openLink(link('clone', 'ext::sh -c touch% /tmp/pwned'));
    await shot('5-refused', 'link-notice');
    await notice().getByRole('button', { name: 'Dismiss' }).click();
  });

  it('opens the summary of a team file dropped on the window, and says why another file is not one', { timeout: 30_000 }, async () => {
    const team = writeTeamFile({ primary: world.topology.primary.baseUrl, projects: [], repositories: ['CORE/web'], layout: 'flat', protocol: 'https' });
    // While it is dragged over, the window says what dropping does.
    await drop([{ name: 'web-team.json', type: 'application/json', text: team }], { release: false });
    await expect.poll(() => page.getByTestId('drop-target').count(), { timeout: 5_000 }).toBe(1);
    await shot('6-dragging', 'drop-target');
    await drop([{ name: 'web-team.json', type: 'application/json', text: team }]);
    expect(await page.getByTestId('drop-target').count()).toBe(0);
    const summary = page.getByTestId('team-file-summary');
    await expect.poll(() => summary.count(), { timeout: 5_000 }).toBe(1);
    expect(await page.getByTestId('team-file').textContent()).toContain('web-team.json');
    expect(await summary.textContent()).toContain('CORE/web');
    expect(await page.getByTestId('team-file-from').count()).toBe(0);
    expect(await page.getByTestId('clone-batch').count()).toBe(0);
    await shot('7-dropped', 'team-file');

    await drop([{ name: 'notes.txt', type: 'text/plain', text: 'CORE/api\nCORE/web\n' }]);
    await expect.poll(() => notice().getAttribute('data-kind'), { timeout: 5_000 }).toBe('not-a-team-file');
    expect(await notice().textContent()).toContain('notes.txt cannot be opened: it is not a team file');
    await shot('8-dropped-not-team', 'link-notice');
  });

  it('with no primary connected yet, a team link names the one to connect, and a clone link waits for it', { timeout: 90_000 }, async () => {
    // Another helper with a data folder and HOME of its own: nothing connected.
    const home = path.join(world.tempDir, 'fresh-home');
    await mkdir(home);
    const fresh = await world.startHelper({ dataDir: path.join(world.tempDir, 'fresh-data'), env: { HOME: home } });
    const address = fresh.address.uiUrl!;
    const withLink = (raw: string) => `${address}${address.includes('#') ? '&' : '#'}link=${encodeURIComponent(raw)}`;
    const { page: empty, errors: emptyErrors } = await world.openPage({ context: { viewport: { width: 1280, height: 860 } }, url: withLink(link('team', `${files!.baseUrl}/files/team.json`)) });
    await expect.poll(() => empty.getByTestId('team-file-problem').allTextContents(), { timeout: 15_000 }).toEqual([
      `it is for ${world.topology.primary.baseUrl}, which is not connected here: connect it above first (the file holds no token)`,
    ]);
    expect(await empty.getByRole('form', { name: 'Connect a primary' }).count()).toBe(1);
    expect(await empty.getByTestId('team-file-clone').count()).toBe(0);
    violations.push(...(await photographAtBothSizes(empty, 'link-9-team-no-primary', { scrollTo: () => empty.getByTestId('team-file') })));

    // A clone link: said at the top, and filled in once the primary is connected (and then looked up).
    await empty.goto('about:blank');
    await empty.goto(withLink(link('clone', cloneUrl())));
    await expect.poll(() => empty.getByTestId('link-notice').getAttribute('data-kind'), { timeout: 15_000 }).toBe('waiting');
    expect(await empty.getByTestId('link-notice').textContent()).toContain(cloneUrl());
    await empty.getByLabel('Bitbucket base URL').fill(world.topology.primary.baseUrl);
    await empty.getByLabel('HTTP access token').fill(world.topology.credentials.token);
    await empty.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => empty.getByLabel('Paste a repository URL or PROJECT/repo').inputValue(), { timeout: 30_000 }).toBe(cloneUrl());
    await expect.poll(() => empty.getByTestId('clone-panel').locator('.panel__title').textContent(), { timeout: 30_000 }).toBe('CORE/api');
    expect(await empty.getByTestId('link-notice').count()).toBe(0);
    errors.push(...emptyErrors);
  });

  it('raised no page errors and no serious accessibility findings', () => {
    expect(errors).toEqual([]);
    expect(violations).toEqual([]);
  });
});
