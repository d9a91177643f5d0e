/**
 * Accessibility check for a Playwright page: injects axe-core from node_modules and returns the
 * violations that matter most (impact 'serious' or 'critical'), each with where it was found.
 *
 * The renderer's CSP allows scripts from 'self' only, and the injected script comes from
 * elsewhere: pages that run axe must come from `browser.newContext({ bypassCSP: true })`.
 */
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const require = createRequire(import.meta.url);
const axePath = require.resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  nodes: { target: string[]; summary: string }[];
}

interface AxeResult {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}

export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: axePath });
  const result = (await page.evaluate('window.axe.run(document, { resultTypes: ["violations"] })')) as AxeResult;
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact!,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target.map(String), summary: node.failureSummary ?? '' })),
    }));
}

/** Light and dark both: colour contrast differs between them. Returns one list for both. */
export async function axeBothSchemes(page: Page, label: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const violation of await seriousAxeViolations(page)) {
      found.push(`${label} (${colorScheme}): ${violation.id} [${violation.impact}] ${violation.help}: ${violation.nodes.map((node) => `${node.target.join(' ')} — ${node.summary}`).join('; ')}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}
