/**
 * One step of a UI flow, recorded: the part it is about scrolled into view, the whole page
 * photographed light and dark (test-results/screenshots/<name>-<scheme>.png, to be looked at),
 * then axe run in both schemes. Returns axe's serious and critical findings (none is the bar).
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { axeBothSchemes } from './axe';
import { screenshotDir } from './browser';

export async function photographStep(page: Page, name: string, options: { scrollTo?: Locator; axe?: boolean; fullPage?: boolean } = {}): Promise<string[]> {
  // The content pane scrolls on its own; bring the part this step is about into view.
  if (options.scrollTo) await options.scrollTo.scrollIntoViewIfNeeded();
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: path.join(screenshotDir, `${name}-${colorScheme}.png`), fullPage: options.fullPage ?? true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return options.axe === false ? [] : axeBothSchemes(page, name);
}
