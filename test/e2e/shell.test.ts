/**
 * The built renderer in real Chromium against a real helper process over the WebSocket bridge.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import packageJson from '../../package.json' with { type: 'json' };
import { screenshotDir } from '../support/browser';
import { startE2eWorld, type E2eWorld } from '../support/e2e-world';

let world: E2eWorld;

beforeAll(async () => {
  world = await startE2eWorld();
}, 120_000);

afterAll(() => world?.stop(), 60_000);

describe('the app shell in Chromium', () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    it(`shows the helper's version and state (${colorScheme})`, async () => {
      const { page, errors } = await world.openPage({ context: { colorScheme, viewport: { width: 1100, height: 700 }, bypassCSP: false } });

      await expect.poll(() => page.getByTestId('helper-connection').textContent()).toBe('Connected');
      // helper.info answers after the connection is up: poll rather than read once.
      await expect.poll(() => page.getByTestId('helper-version').textContent()).toBe(`mirror-sync helper ${packageJson.version}`);
      await expect.poll(() => page.getByTestId('helper-state').textContent()).toBe('ready');
      // The token is taken out of the address bar once used.
      expect(page.url()).not.toContain(world.helper.address.token);

      await page.getByRole('button', { name: 'Settings' }).click();
      await expect.poll(() => page.getByText(world.dataDir).count()).toBe(1);
      await page.getByRole('button', { name: 'Settings' }).focus();
      await page.screenshot({ path: path.join(screenshotDir, `shell-settings-${colorScheme}.png`) });

      const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
      expect(background).toBe(colorScheme === 'dark' ? 'rgb(27, 29, 33)' : 'rgb(255, 255, 255)');
      expect(errors).toEqual([]);
      await page.context().close();
    });
  }

  it('explains how to start a helper when opened without one', async () => {
    const { page } = await world.openPage({ url: new URL('/', world.helper.address.uiUrl!).href });
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('mirror-clone needs its helper');
    await page.context().close();
  });
});
