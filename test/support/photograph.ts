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

/** The two window sizes every changed screen is looked at in: a laptop's and a small window's. */
export const windowSizes = { large: { width: 1280, height: 860 }, small: { width: 900, height: 700 } } as const;

/**
 * One step at both window sizes, light and dark (`<name>-<width>-<scheme>.png`), with axe at
 * each; the page is left at the large size. Returns axe's findings, as photographStep does.
 */
export async function photographAtBothSizes(page: Page, name: string, options: { scrollTo?: () => Locator; fullPage?: boolean; axe?: boolean } = {}): Promise<string[]> {
  const findings: string[] = [];
  for (const size of [windowSizes.large, windowSizes.small]) {
    await page.setViewportSize(size);
    findings.push(...(await photographStep(page, `${name}-${size.width}`, { scrollTo: options.scrollTo?.(), fullPage: options.fullPage ?? false, axe: options.axe })));
  }
  await page.setViewportSize(windowSizes.large);
  return findings;
}
