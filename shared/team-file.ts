/**
 * A team file: what a team works in, sent by its lead to a new member so the first day is one
 * step. It says which primary, which repositories (and whole projects), how they are laid out
 * in the folder and which protocol the team uses. It never holds secrets, and never a mirror:
 * every reader measures from where they sit.
 *
 * {"mirrorCloneTeam": 1, "primary": "https://bitbucket.example.com",
 *  "projects": ["PLAT"], "repositories": ["WEB/site"], "layout": "by-project", "protocol": "ssh"}
 */
import { z } from 'zod';
import { batchLayouts } from './contract/domains/clone-batch';
import { parseRepositoryReference } from './repository-reference';

/** The format's version; a reader refuses a newer one rather than guess at it. */
const teamFileVersion = 1;

const teamFileSchema = z
  .object({
    mirrorCloneTeam: z.number().int().min(1),
    primary: z.string().min(1).max(2000),
    projects: z.array(z.string().min(1).max(100)).max(200).default([]),
    repositories: z.array(z.string().min(1).max(2000)).max(2000).default([]),
    layout: z.enum(batchLayouts).default('flat'),
    protocol: z.enum(['https', 'ssh']).default('https'),
  })
  .strict();

export type TeamFile = z.output<typeof teamFileSchema>;

export type ParsedTeamFile = { ok: true; team: TeamFile } | { ok: false; problems: string[] };

const projectKeyPattern = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Team files over this size are not what this format writes (a few KB for thousands of repositories). */
export const maxTeamFileBytes = 1024 * 1024;

/**
 * Whether two addresses name the same primary however they were written: host case and a
 * trailing slash aside, as the helper keeps a primary's address. The path counts as written (a
 * context path can tell two servers apart). Text that is not a plain address matches only itself.
 */
export function samePrimary(a: string, b: string): boolean {
  return primaryAddress(a) === primaryAddress(b);
}

function primaryAddress(value: string): string {
  try {
    const url = new URL(value.trim());
    // A name and password in the address are never a primary's (the helper refuses them).
    if (url.username || url.password) return value.trim();
    return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  } catch {
    return value.trim();
  }
}

/** Whether text looks like a team file (a JSON object) rather than a list of references. */
export function looksLikeTeamFile(text: string): boolean {
  return text.trimStart().startsWith('{');
}

/** Reads a team file, naming every problem it has (not only the first). */
export function parseTeamFile(text: string): ParsedTeamFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`it is not valid JSON (${error instanceof Error ? error.message : String(error)})`] };
  }
  const version = (raw as { mirrorCloneTeam?: unknown } | null)?.mirrorCloneTeam;
  if (typeof version === 'number' && version > teamFileVersion) {
    return { ok: false, problems: [`it was written by a newer mirror-clone (format ${version}; this one reads ${teamFileVersion})`] };
  }
  const parsed = teamFileSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)) };
  }
  const team = parsed.data;
  const problems: string[] = [];
  if (!/^https?:\/\//i.test(team.primary)) problems.push(`primary: "${team.primary}" is not an http(s) address`);
  for (const key of team.projects) if (!projectKeyPattern.test(key)) problems.push(`projects: "${key}" is not a project key`);
  for (const reference of team.repositories) {
    const result = parseRepositoryReference(reference);
    if (!result.ok) problems.push(`repositories: "${reference}" is not a repository reference (${result.reason})`);
  }
  if (team.projects.length === 0 && team.repositories.length === 0) problems.push('it names no projects and no repositories');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, team };
}

/** A team file for what is selected now, as text to save. */
export function writeTeamFile(team: Omit<TeamFile, 'mirrorCloneTeam'>): string {
  return `${JSON.stringify({ mirrorCloneTeam: teamFileVersion, ...team }, null, 2)}\n`;
}

/**
 * A plain list: one repository reference a line; blank lines and lines starting with # are
 * skipped. Answers the references and the lines that are not references.
 */
export function parseReferenceList(text: string): { references: string[]; problems: string[] } {
  const references: string[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const entry = line.trim();
    if (!entry || entry.startsWith('#')) return;
    const result = parseRepositoryReference(entry);
    if (result.ok) references.push(entry);
    else problems.push(`line ${index + 1}: "${entry}" is not a repository reference (${result.reason})`);
  });
  return { references, problems };
}
