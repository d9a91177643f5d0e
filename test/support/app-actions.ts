/** Steps several UI flows take the same way, as a person would: typed, then Enter. */
import { expect } from 'vitest';
import type { Page } from 'playwright-core';

/** Pastes a reference into the Repositories field and waits for the measured servers and the recommendation. */
export async function findMirrors(page: Page, reference: string): Promise<void> {
  const field = page.getByLabel('Paste a repository URL or PROJECT/repo');
  await field.fill(reference);
  await field.press('Enter');
  await expect.poll(() => page.getByTestId('discovery-reason').count(), { timeout: 30_000 }).toBe(1);
}
