/**
 * Debian's Chromium driven by playwright-core (Playwright cannot download its own browser here).
 * The flags keep Chromium from reaching for Google's services on a closed network.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import path from 'node:path';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface LaunchedBrowser {
  browser: Browser;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
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
