/**
 * What `clone --from FILE` reads: a plain list (one repository reference a line) or a team file
 * (shared/team-file.ts). Options on the command line win over the file's; a file meant for
 * another primary than the one named is a mistake said at once.
 */
import { readFile } from 'node:fs/promises';
import { looksLikeTeamFile, maxTeamFileBytes, parseReferenceList, parseTeamFile, type TeamFile } from '../../shared/team-file';
import { UsageError } from './command';

export interface ListFile {
  projects: string[];
  repositories: string[];
  team?: Pick<TeamFile, 'primary' | 'layout' | 'protocol'>;
}

export async function readListFile(file: string): Promise<ListFile> {
  let text: string;
  try {
    const buffer = await readFile(file);
    // A plain list of references is no bigger than a team file naming as many.
    if (buffer.length > maxTeamFileBytes) throw new UsageError(`${file} is ${buffer.length} bytes: not a list of repositories.`);
    text = buffer.toString('utf8');
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file} could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`);
  }
  if (looksLikeTeamFile(text)) {
    const parsed = parseTeamFile(text);
    if (!parsed.ok) throw new UsageError(`${file} is not a usable team file:\n  ${parsed.problems.join('\n  ')}`, 'A team file is JSON: {"mirrorCloneTeam": 1, "primary": URL, "projects": [...], "repositories": [...], "layout": "flat"|"by-project", "protocol": "https"|"ssh"}.');
    const { projects, repositories, primary, layout, protocol } = parsed.team;
    return { projects, repositories, team: { primary, layout, protocol } };
  }
  const list = parseReferenceList(text);
  if (list.problems.length > 0) throw new UsageError(`${file} has lines that are not repository references:\n  ${list.problems.slice(0, 20).join('\n  ')}`, 'One reference a line: a clone or page URL, or PROJECT/repo; # starts a comment.');
  if (list.references.length === 0) throw new UsageError(`${file} names no repositories.`);
  return { projects: [], repositories: list.references };
}
