/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download its own browser here).
 * The flags keep Chromium from reaching for Google's services on a closed network.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** `extraArgs`: more Chromium switches, e.g. `--host-resolver-rules` to simulate DNS rebinding. */
export async function launchChromium(extraArgs: string[] = []): Promise<LaunchedBrowser> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      // Playwright gives every launch a fresh, temporary profile of its own.
      ...extraArgs,
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

/** Collects console errors and uncaught exceptions (CSP violations show up here). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

export const screenshotDir = path.resolve(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

/**
 * The built renderer the e2e tests serve. MIRROR_CLONE_RENDERER_DIST points at another build
 * (`npx vite build --config renderer/vite.config.ts --outDir <dir>`), so two people can build
 * and test side by side without overwriting each other's dist/renderer mid-run.
 */
export const rendererDist = path.resolve(process.env.MIRROR_CLONE_RENDERER_DIST ?? path.join(import.meta.dirname, '..', '..', 'dist', 'renderer'));

export function requireRendererDist(): string {
  if (!existsSync(path.join(rendererDist, 'index.html'))) {
    throw new Error(`${rendererDist} has no index.html: run \`npm run build:renderer\` first (npm test does).`);
  }
  return rendererDist;
}
