/**
 * Before a clone: whether a repository keeps files in Git LFS, from the `.gitattributes` at the
 * tip of its default branch as the primary's REST API shows it (the browse resource: JSON lines,
 * in every Bitbucket release). One small request beside discovery's others. Anything that goes
 * wrong (no permission, a proxy page, a cut connection, an old server) makes the answer
 * "unknown": it informs the user and never holds up or fails a clone. Only cancel is passed on.
 *
 * Only the top-level file is read: a nested `.gitattributes` may name LFS too, which the clone's
 * own check (lfs-commands.ts `usesLfs`) still finds. And with LFS seen, whether git-lfs is on
 * this machine, since without it the clone gets pointer files.
 */
import { z } from 'zod';
import { ContractError, type LargeFilesOutlook } from '../../../shared/contract';
import type { BitbucketClient } from '../bitbucket/rest-client';
import { repositoryOwnerPath } from '../bitbucket/repository-owner';
import { gitLfsVersion } from '../git/lfs-commands';

const browseSchema = z.object({
  lines: z.array(z.object({ text: z.string() })),
  isLastPage: z.boolean(),
  nextPageStart: z.number().optional(),
});

const errorSchema = z.object({ errors: z.array(z.object({ exceptionName: z.string().nullable().optional() })) });

/** A .gitattributes is a few lines; a file past this is read no further (its first lines decide). */
const MAX_LINES = 2000;
const PAGE_LINES = 500;
/** Patterns named in the notice; the rest are counted. */
const MAX_PATTERNS = 5;
/** A primary slower than this to show one small file holds up no discovery: the answer is "unknown". */
const DEFAULT_TIMEOUT_MS = 2_000;

/**
 * The patterns a .gitattributes sends through the lfs filter. `-filter`, `!filter` and
 * `filter=other` do not count; a macro line (`[attr]`) defines, it does not apply.
 */
export function lfsPatternsOf(text: string): string[] {
  const patterns: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('[attr]')) continue;
    const [pattern, ...attributes] = line.split(/\s+/);
    if (pattern && attributes.includes('filter=lfs')) patterns.push(pattern);
  }
  return patterns;
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type AttributesText = { kind: 'text'; text: string } | { kind: 'absent' } | { kind: 'unknown' };

/** The default branch's top-level .gitattributes: its text, absent (the primary says no such path), or unknown. */
async function readAttributes(client: BitbucketClient, projectKey: string, slug: string, signal: AbortSignal): Promise<AttributesText> {
  const path = `/rest/api/1.0/${repositoryOwnerPath(projectKey)}/repos/${encodeURIComponent(slug)}/browse/.gitattributes`;
  const lines: string[] = [];
  let start = 0;
  while (lines.length < MAX_LINES) {
    const response = await client.request('GET', path, { signal, query: { start, limit: PAGE_LINES } });
    if (response.status === 404) {
      // Only "no such path" means no file; a 404 for the repository or a proxy's page says nothing.
      const body = errorSchema.safeParse(jsonOrUndefined(response.text()));
      const absent = body.success && body.data.errors.some((error) => error.exceptionName?.endsWith('.NoSuchPathException'));
      return absent ? { kind: 'absent' } : { kind: 'unknown' };
    }
    if (response.status !== 200) return { kind: 'unknown' };
    const page = browseSchema.safeParse(jsonOrUndefined(response.text()));
    if (!page.success) return { kind: 'unknown' };
    lines.push(...page.data.lines.map((line) => line.text));
    if (page.data.isLastPage || page.data.nextPageStart === undefined || page.data.nextPageStart <= start) break;
    start = page.data.nextPageStart;
  }
  return { kind: 'text', text: lines.join('\n') };
}

export interface LargeFilesCheck {
  client: BitbucketClient;
  projectKey: string;
  slug: string;
  signal: AbortSignal;
  /** Whether git-lfs is here; default: asks `git lfs version`. */
  gitLfsInstalled?: (signal: AbortSignal) => Promise<boolean>;
  timeoutMs?: number;
}

const askGitLfs = async (signal: AbortSignal) => Boolean(await gitLfsVersion({ signal }).catch(() => undefined));

export async function checkLargeFiles(check: LargeFilesCheck): Promise<LargeFilesOutlook> {
  let attributes: AttributesText;
  try {
    const bounded = AbortSignal.any([check.signal, AbortSignal.timeout(check.timeoutMs ?? DEFAULT_TIMEOUT_MS)]);
    attributes = await readAttributes(check.client, check.projectKey, check.slug, bounded);
  } catch {
    // Only the caller's cancel is passed on; the request's own time limit means "unknown".
    if (check.signal.aborted) throw new ContractError('CANCELLED', 'Discovery was cancelled.');
    attributes = { kind: 'unknown' };
  }
  if (attributes.kind === 'unknown') return { usesLfs: 'unknown', patterns: [], morePatterns: 0, gitLfsInstalled: null };
  const patterns = attributes.kind === 'text' ? lfsPatternsOf(attributes.text) : [];
  if (patterns.length === 0) return { usesLfs: 'no', patterns: [], morePatterns: 0, gitLfsInstalled: null };
  const installed = await (check.gitLfsInstalled ?? askGitLfs)(check.signal);
  return { usesLfs: 'yes', patterns: patterns.slice(0, MAX_PATTERNS), morePatterns: Math.max(0, patterns.length - MAX_PATTERNS), gitLfsInstalled: installed };
}
