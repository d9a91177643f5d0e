/**
 * The built renderer in real Chromium against a real helper process over the WebSocket bridge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { startHelperProcess, type RunningHelper } from '../support/helper-process';
import { makeTempDir } from '../support/temp-dir';
import { collectPageErrors, launchChromium, screenshotDir, type LaunchedBrowser, rendererDist, requireRendererDist } from '../support/browser';

let helper: RunningHelper;
let browser: LaunchedBrowser;
let home: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  requireRendererDist();
  home = await makeTempDir('e2e-shell');
  helper = await startHelperProcess({ home: home.path, ui: rendererDist });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await helper?.stop();
  await home?.cleanup();
});

describe('the app shell in Chromium', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows the helper's version and state (${colorScheme})`, async () => {
      const context = await browser.browser.newContext({ colorScheme, viewport: { width: 1100, height: 700 } });
      const page = await context.newPage();
      const errors = collectPageErrors(page);
      await page.goto(helper.address.uiUrl!);

      await expect.poll(() => page.getByTestId('helper-connection').textContent()).toBe('Connected');
      // helper.info answers after the connection is up: poll rather than read once.
      await expect.poll(() => page.getByTestId('helper-version').textContent()).toBe(`mirror-sync helper ${packageJson.version}`);
      await expect.poll(() => page.getByTestId('helper-state').textContent()).toBe('ready');
      // The token is taken out of the address bar once used.
      expect(page.url()).not.toContain(helper.address.token);

      await page.getByRole('button', { name: 'Settings' }).click();
      await expect.poll(() => page.getByText(home.path).count()).toBe(1);
      await page.getByRole('button', { name: 'Settings' }).focus();
      await page.screenshot({ path: path.join(screenshotDir, `shell-settings-${colorScheme}.png`) });

      const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
      expect(background).toBe(colorScheme === 'dark' ? 'rgb(27, 29, 33)' : 'rgb(255, 255, 255)');
      expect(errors).toEqual([]);
      await context.close();
    });
  }

  it('explains how to start a helper when opened without one', async () => {
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    await page.goto(new URL('/', helper.address.uiUrl!).href);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('mirror-clone needs its helper');
    await context.close();
  });
});
