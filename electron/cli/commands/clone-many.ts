/**
 * `mirror-clone clone --project KEY ... --into DIR`, `clone REPO REPO ... --into DIR` and
 * `clone --from FILE --into DIR`: many repositories in one step, each from its own closest
 * source, several at once. Exit 0 when every repository is there, 1 when some failed.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { maxBatchJobs, type CloneBatch } from '../../../shared/contract';
import { primaryOption, repositoryLabel, UsageError, type CommandContext } from '../command';
import { readListFile } from '../batch-list';
import { samePrimary } from '../../../shared/team-file';
import { exitCodes } from '../output';
import { batchJson, renderBatchItemLines, renderBatchLine, renderBatchSummary } from '../render/batch-progress';

/** The options that make `clone` a batch; the single clone takes none of them. */
const batchOptionNames = ['--project', '--into', '--from', '--by-project', '--include-archived', '--jobs'];

export function isBatchClone(args: readonly string[]): boolean {
  return args.some((arg) => batchOptionNames.some((name) => arg === name || arg.startsWith(`${name}=`)));
}

export const cloneManyUsage = [
  'mirror-clone clone --project KEY [--project KEY ...] --into DIR [--include-archived]',
  'mirror-clone clone <repository> <repository> ... --into DIR',
  'mirror-clone clone --from FILE --into DIR        (one reference a line, or a team file)',
  '                   [--by-project] [--jobs N] [--primary <url>] [--protocol https|ssh] [--json]',
  '',
  'Each repository goes to DIR/<slug> (DIR/<KEY>/<slug> with --by-project), from its own closest source.',
  'Several run at once, as many as the measured link carries (--jobs N overrides). Repositories already',
  'cloned there are left alone, so running it again finishes what is missing.',
].join('\n');

function jobsOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1 || jobs > maxBatchJobs) throw new UsageError(`--jobs must be a whole number from 1 to ${maxBatchJobs}.`);
  return jobs;
}

function protocolOf(value: string | undefined): 'http' | 'ssh' | undefined {
  if (value === undefined) return undefined;
  if (value === 'https' || value === 'http') return 'http';
  if (value === 'ssh') return 'ssh';
  throw new UsageError(`--protocol must be https or ssh, not "${value}".`);
}

export async function runCloneMany(args: string[], context: CommandContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      project: { type: 'string', multiple: true },
      into: { type: 'string' },
      from: { type: 'string' },
      'by-project': { type: 'boolean' },
      'include-archived': { type: 'boolean' },
      jobs: { type: 'string' },
      primary: { type: 'string' },
      protocol: { type: 'string' },
    },
  });
  if (!values.into) throw new UsageError('Say where the repositories go: --into DIR.', 'e.g. mirror-clone clone --project PLAT --into ~/src');
  for (const reference of positionals) repositoryLabel(reference);
  const file = values.from ? await readListFile(values.from) : undefined;
  const named = primaryOption(values.primary);
  if (file?.team && values.primary && !samePrimary(file.team.primary, values.primary)) {
    throw new UsageError(`${values.from} is for ${file.team.primary}, but --primary names ${values.primary}.`);
  }
  const projects = [...(values.project ?? []), ...(file?.projects ?? [])];
  const repositories = [...positionals, ...(file?.repositories ?? [])];
  if (projects.length === 0 && repositories.length === 0) throw new UsageError('Name what to clone: --project KEY, repositories, or --from FILE.');
  const params = {
    projects,
    repositories,
    primary: file?.team?.primary ?? named,
    includeArchived: values['include-archived'] ?? false,
    parentDirectory: path.resolve(values.into),
    layout: values['by-project'] || file?.team?.layout === 'by-project' ? ('by-project' as const) : ('flat' as const),
    protocol: protocolOf(values.protocol) ?? (file?.team?.protocol === 'ssh' ? 'ssh' : 'http'),
    jobs: jobsOf(values.jobs),
  };
  context.announce(`Listing what to clone into ${params.parentDirectory}…`);

  const client = await context.client();
  if (file?.team && !(named && samePrimary(file.team.primary, named))) {
    // A file can come from anyone: its primary gets this machine's token (MIRROR_CLONE_TOKEN
    // included) only once the user has connected it or named it themselves.
    const connected = await client.call('primaries.list', {}, { signal: context.signal });
    if (!connected.some((primary) => samePrimary(primary.baseUrl, file.team!.primary))) {
      throw new UsageError(`${values.from} is for ${file.team.primary}, which is not connected here.`, `If you trust it, connect it (mirror-clone login ${file.team.primary}) or name it: --primary ${file.team.primary}.`);
    }
  }
  const started = performance.now();
  const showProgress = !context.json && Boolean((context.stderr as { isTTY?: boolean }).isTTY);
  const latest = new Map<string, CloneBatch>();
  const current: { batchId?: string; finished?: (batch: CloneBatch) => void } = {};
  const printed = new Set<string>();
  let progressShown = false;

  const show = (batch: CloneBatch) => {
    if (context.json) return;
    const lines = renderBatchItemLines(batch, printed);
    if (showProgress && progressShown && (lines.length > 0 || batch.finishedAt)) context.stderr.write('\r\u001b[K');
    for (const line of lines) context.stdout.write(`${line}\n`);
    if (showProgress && !batch.finishedAt) {
      context.stderr.write(`\r${renderBatchLine(batch)}\u001b[K`);
      progressShown = true;
    }
  };
  const unsubscribe = client.on('clone.batch', ({ batch }) => {
    latest.set(batch.batchId, batch);
    if (batch.batchId !== current.batchId) return;
    show(batch);
    if (batch.finishedAt) current.finished?.(batch);
  });

  try {
    const first = await client.call('clone.batchStart', params, { signal: context.signal });
    current.batchId = first.batchId;
    const onAbort = () => void client.call('clone.batchCancel', { batchId: first.batchId }).catch(() => {});
    context.signal.addEventListener('abort', onAbort, { once: true });
    const seen = latest.get(first.batchId) ?? first;
    show(seen);
    const final = seen.finishedAt ? seen : await new Promise<CloneBatch>((resolve) => (current.finished = resolve));
    context.signal.removeEventListener('abort', onAbort);
    const elapsed = performance.now() - started;

    if (context.json) {
      context.stdout.write(`${JSON.stringify(batchJson(final, elapsed))}\n`);
    } else {
      const { summary, failures } = renderBatchSummary(final, elapsed);
      context.stdout.write(`${summary}\n`);
      if (failures.length > 0) context.stderr.write(`Failed:\n${failures.join('\n')}\n`);
    }
    if (final.state === 'cancelled') return exitCodes.cancelled;
    return final.totals.failed > 0 || final.totals.cancelled > 0 ? exitCodes.failed : exitCodes.ok;
  } finally {
    unsubscribe();
  }
}
