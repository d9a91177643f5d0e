/**
 * Checking SSH keys for a whole selection rather than one repository. `keys.check` tries every
 * key on the primary and on the mirrors holding one repository; Bitbucket mirrors hold whole
 * projects, so one repository per project stands for its project, and the answers are merged
 * into one check over every server the selection will use (each server once).
 */
import type { KeyCheck } from './keys-slice';

/** One repository per project: the first named, else the first the primary lists. */
export function representatives(repositories: readonly string[], projects: readonly string[]): { named: string[]; projectsToList: string[] } {
  const byProject = new Map<string, string>();
  for (const reference of repositories) {
    const project = reference.split('/')[0]!.toUpperCase();
    if (!byProject.has(project)) byProject.set(project, reference);
  }
  return { named: [...byProject.values()], projectsToList: projects.filter((key) => !byProject.has(key.toUpperCase())) };
}

/** One check over the union of the servers; where one server answered twice, the first answer stands. */
export function mergeKeyChecks(checks: readonly KeyCheck[]): KeyCheck | undefined {
  if (checks.length === 0) return undefined;
  const [first, ...rest] = checks as [KeyCheck, ...KeyCheck[]];
  const servers = [...first.servers];
  const warnings = [...first.warnings];
  const uploaded = { ...first.uploaded };
  const warningKey = (warning: KeyCheck['warnings'][number]) => JSON.stringify(warning);
  const seenWarnings = new Set(warnings.map(warningKey));
  for (const check of rest) {
    for (const server of check.servers) if (!servers.some((known) => known.id === server.id)) servers.push(server);
    for (const warning of check.warnings) {
      if (seenWarnings.has(warningKey(warning))) continue;
      seenWarnings.add(warningKey(warning));
      warnings.push(warning);
    }
    for (const [key, value] of Object.entries(check.uploaded)) if (uploaded[key] !== true) uploaded[key] = value;
  }
  const last = checks[checks.length - 1]!;
  return { ...first, repository: undefined, inventory: last.inventory, servers, warnings, uploaded, durationMs: checks.reduce((sum, check) => sum + check.durationMs, 0) };
}

/** The key every server accepted, if one did: with it, SSH clones of the whole selection can work. */
export function keyAcceptedEverywhere(check: KeyCheck): KeyCheck['inventory']['keys'][number] | undefined {
  if (check.servers.length === 0) return undefined;
  return check.inventory.keys.find((key) => check.servers.every((server) => server.results.some((result) => result.key === key.id && result.outcome === 'accepted')));
}
