import { parseArgs } from 'node:util';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { askedSwitchMaxAgeMs, ContractError, type SwitchResult } from '../../../shared/contract';
import { UsageError, type Command } from '../command';

/** Folders under `root` (a few levels deep) that are git working copies. */
async function findClones(root: string, depth = 3): Promise<string[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  if (entries.some((entry) => entry.name === '.git')) return [root];
  if (depth === 0) return [];
  const nested = await Promise.all(entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith('.')).map((entry) => findClones(path.join(root, entry.name), depth - 1)));
  return nested.flat();
}

function describe(result: SwitchResult): string {
  const moved = result.changed ? `${result.from.name} → ${result.to.name}` : `stays on ${result.to.name}`;
  const topped = result.toppedUpFromPrimary.length > 0 ? `; fetched ${result.toppedUpFromPrimary.length} ref(s) from the primary` : '';
  const warning = result.largeFiles?.warning ? `${result.path}: Warning: ${result.largeFiles.warning}\n` : '';
  return `${result.path}: ${moved} (${result.reason})${topped}\n${warning}`;
}

export const switchCommand: Command = {
  name: 'switch',
  summary: 'Point clones at the mirror that is closest from here now (pushes stay on the primary)',
  usage: 'mirror-clone switch [dir] [--mirror auto|primary|NAME] [--json]\n       mirror-clone switch --all <folder> [--json]',
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { mirror: { type: 'string' }, all: { type: 'string' } } });
    if (values.all !== undefined && positionals.length > 0) throw new UsageError('Use either a clone folder or --all <folder>.');
    if (positionals.length > 1) throw new UsageError('switch takes at most one folder.');
    const folder = path.resolve(values.all ?? positionals[0] ?? '.');
    context.announce(values.all !== undefined ? `Finding the closest server for each clone under ${folder}…` : `Finding the closest server for ${folder}…`);
    const paths = values.all !== undefined ? await findClones(folder) : [folder];
    const client = await context.client();
    // Each clone is switched on a measurement from this run at the latest (a single switch: from
    // the last minute), so a run over many clones measures each primary's servers once.
    const runStarted = Date.now();
    const maxAgeMs = () => Math.max(askedSwitchMaxAgeMs, Date.now() - runStarted);
    const results: SwitchResult[] = [];
    const failures: { path: string; error: string }[] = [];
    for (const clonePath of paths) {
      try {
        const result = await client.call('clones.switch', { path: clonePath, source: values.mirror ?? 'auto', maxAgeMs: maxAgeMs() }, { signal: context.signal });
        results.push(result);
        if (!context.json) context.stdout.write(describe(result));
      } catch (error) {
        if (error instanceof ContractError && error.code === 'CANCELLED') throw error;
        // With --all, folders that are not our clones are skipped quietly; a real failure is reported.
        if (values.all !== undefined && error instanceof ContractError && error.code === 'NOT_FOUND' && error.message.includes('not a clone made by mirror-clone')) continue;
        const message = error instanceof Error ? error.message : String(error);
        failures.push({ path: clonePath, error: message });
        if (!context.json && values.all !== undefined) context.stderr.write(`${clonePath}: ${message}\n`);
      }
    }
    if (context.json) context.stdout.write(`${JSON.stringify({ switched: results, failed: failures })}\n`);
    if (values.all === undefined && failures.length > 0) throw new ContractError('GIT', failures[0]!.error);
    return failures.length > 0 ? 1 : 0;
  },
};
