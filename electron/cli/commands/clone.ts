import { parseArgs } from 'node:util';
import path from 'node:path';
import { ContractError, type CloneJob, type UnknownHostKey } from '../../../shared/contract';
import { primaryOption, repositoryLabel, UsageError, type Command } from '../command';
import { renderCloneSummary, renderProgressLine } from '../render/progress-bar';
import { cloneManyUsage, isBatchClone, runCloneMany } from './clone-many';
import { renderLargeFiles } from '../render/large-files';
import { destinationsOf, discardPartialClones } from './clone-partial';
import { historyPendingAt } from '../../helper/clone/steps/resume-marker';

/** The moment the work tree is ready: a line for a person, or an event line before the final object. */
function renderReady(ready: NonNullable<CloneJob['ready']>, json: boolean): string {
  if (json) return `${JSON.stringify({ event: 'ready', path: ready.path, afterMs: ready.afterMs })}\n`;
  return `Ready to work in ${ready.path} after ${(ready.afterMs / 1000).toFixed(1)} s: the newest commit's files are there; the history continues.\n`;
}

function protocolOf(value: string | undefined): 'http' | 'ssh' {
  if (value === undefined || value === 'https' || value === 'http') return 'http';
  if (value === 'ssh') return 'ssh';
  throw new UsageError(`--protocol must be https or ssh, not "${value}".`);
}

export const cloneCommand: Command = {
  name: 'clone',
  summary: 'Clone from the closest mirror; pushes go to the primary',
  usage: [
    'mirror-clone clone <repository> [dir] [--mirror auto|primary|NAME] [--protocol https|ssh]',
    '                   [--depth N] [--branch B] [--primary <url>] [--trust-host-key SHA256:...] [--discard-partial] [--json]',
    '',
    'Measures every server holding the repository, clones from the closest (falling back to the next, finally',
    'the primary), sets the push URL to the primary and fetches from the primary whatever the mirror lacks.',
    'Over SSH, a server whose host key is not known yet stops the clone and shows its fingerprint; after checking it,',
    'run again with --trust-host-key <fingerprint> (once per server) to add it to ~/.ssh/known_hosts.',
    'A big repository is fetched in steps; a clone that stopped part-way (a broken link) is kept and continues when the',
    'same clone is run again to the same folder. --discard-partial removes what it received and starts from nothing.',
    'A clone in steps is ready to work (the default branch checked out in the folder) as soon as its newest commit is in;',
    'it says so (with --json, an {"event":"ready"} line before the result) and the history follows. Stopped after that, the',
    'folder holds a working shallow clone: the same clone to the same folder finishes its history.',
    '',
    'Many repositories in one step:',
    cloneManyUsage,
  ].join('\n'),
  async run(args, context) {
    if (isBatchClone(args)) return runCloneMany(args, context);
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        mirror: { type: 'string' },
        protocol: { type: 'string' },
        depth: { type: 'string' },
        branch: { type: 'string' },
        primary: { type: 'string' },
        'trust-host-key': { type: 'string', multiple: true },
        'discard-partial': { type: 'boolean' },
      },
    });
    const [repository, dir, ...extra] = positionals;
    if (!repository || extra.length > 0) throw new UsageError('clone takes a repository and an optional folder.', 'To clone several repositories, name a folder for them with --into DIR.');
    const depth = values.depth === undefined ? undefined : Number(values.depth);
    if (depth !== undefined && (!Number.isInteger(depth) || depth < 1)) throw new UsageError('--depth must be a positive whole number.');
    const target = dir ? path.resolve(dir) : undefined;
    const protocol = protocolOf(values.protocol);
    context.announce(`Finding the closest server for ${repositoryLabel(repository)}…`);

    const client = await context.client();
    const finished = new Map<string, CloneJob>();
    const waiters = new Map<string, (job: CloneJob) => void>();
    const showProgress = !context.json && Boolean((context.stderr as { isTTY?: boolean }).isTTY);
    // Filled in once clone.start answers; progress of other jobs (e.g. from the UI) is not ours.
    const current: { jobId?: string } = {};
    let lastLine = '';
    // Ready moments by job, kept until clone.start has said which job is ours.
    const readyJobs = new Map<string, NonNullable<CloneJob['ready']>>();
    const announcedReady = new Set<string>();
    const announceReady = () => {
      const ready = current.jobId === undefined ? undefined : readyJobs.get(current.jobId);
      if (!ready || announcedReady.has(current.jobId!)) return;
      announcedReady.add(current.jobId!);
      if (showProgress && lastLine) context.stderr.write('\r\u001b[K');
      context.stdout.write(renderReady(ready, context.json));
    };
    // Said once, before the transfer: on stderr, so --json output stays one object (it carries it too).
    let warnedLargeFiles = false;
    client.on('clone.state', ({ job }) => {
      if (job.largeFilesWarning && !warnedLargeFiles && (current.jobId === undefined || job.jobId === current.jobId)) {
        warnedLargeFiles = true;
        if (showProgress && lastLine) context.stderr.write('\r\u001b[K');
        context.stderr.write(`Warning: ${job.largeFilesWarning}\n`);
      }
      if (job.ready) {
        readyJobs.set(job.jobId, job.ready);
        announceReady();
      }
      if (!job.finishedAt) return;
      finished.set(job.jobId, job);
      waiters.get(job.jobId)?.(job);
    });
    client.on('clone.progress', ({ jobId, source, progress }) => {
      if (!showProgress || jobId !== current.jobId) return;
      lastLine = renderProgressLine(progress, source);
      context.stderr.write(`\r${lastLine}\u001b[K`);
    });

    const startParams = {
      repository,
      parentDirectory: target ? path.dirname(target) : process.cwd(),
      folderName: target ? path.basename(target) : undefined,
      primary: primaryOption(values.primary),
      protocol,
      source: values.mirror ?? 'auto',
      depth,
      branch: values.branch,
    };
    if (values['discard-partial']) {
      const removed = await discardPartialClones(destinationsOf(repository, startParams.parentDirectory, startParams.folderName));
      for (const folder of removed) context.announce(`Discarded the part-way clone in ${folder}.`);
      // One already at its destination is the user's folder: it is finished, never discarded.
      for (const destination of destinationsOf(repository, startParams.parentDirectory, startParams.folderName)) {
        if (await historyPendingAt(destination)) context.announce(`${destination} is ready to work with part of its history: it is finished, not discarded.`);
      }
    }
    const runJob = async (): Promise<CloneJob> => {
      const { jobId } = await client.call('clone.start', startParams, { signal: context.signal });
      current.jobId = jobId;
      announceReady();
      const onAbort = () => void client.call('clone.cancel', { jobId }).catch(() => {});
      context.signal.addEventListener('abort', onAbort, { once: true });
      const settled = finished.get(jobId) ?? (await new Promise<CloneJob>((resolve) => waiters.set(jobId, resolve)));
      context.signal.removeEventListener('abort', onAbort);
      // The bar gives way to the summary (or the failure): no "100% … Done" left behind.
      if (showProgress && lastLine) context.stderr.write('\r\u001b[K');
      lastLine = '';
      return settled;
    };

    let job = await runJob();
    const confirmed = values['trust-host-key'] ?? [];
    if (job.error?.code === 'HOST_KEY_UNKNOWN') {
      const hosts = ((job.error.details as { hosts?: UnknownHostKey[] } | undefined)?.hosts ?? []);
      const toTrust = hosts.filter((host) => confirmed.includes(host.fingerprint));
      const endpoints = new Set(hosts.map((host) => `${host.host}:${host.port}`));
      const covered = new Set(toTrust.map((host) => `${host.host}:${host.port}`));
      if (toTrust.length > 0 && covered.size === endpoints.size) {
        for (const host of toTrust) await client.call('sshHosts.trust', { host: host.host, port: host.port, fingerprint: host.fingerprint }, { signal: context.signal });
        job = await runJob();
      } else {
        for (const host of hosts) {
          const note = host.matchesPrimaryAdvertised === true ? ' (matches what the primary advertises)' : host.matchesPrimaryAdvertised === false ? ' (does NOT match what the primary advertises)' : '';
          context.stderr.write(`  ${host.host}:${host.port} presents ${host.keyType} ${host.fingerprint}${note}\n`);
        }
      }
    }

    for (const attempt of job.attempts.filter((entry) => !entry.ok)) {
      context.stderr.write(`  ${attempt.source.name} (attempt ${attempt.attempt}) failed: ${attempt.error}\n`);
    }
    if (job.state !== 'done' || !job.result) throw job.error ? ContractError.fromData(job.error) : new ContractError('INTERNAL', 'The clone ended without a result.');
    const result = job.result;
    if (context.json) {
      const { path: clonePath, source, fetchUrl, pushUrl, engine, durationMs, toppedUpFromPrimary, largeFiles } = result;
      const attempts = job.attempts.map((attempt) => ({ source: attempt.source.name, attempt: attempt.attempt, ok: attempt.ok, durationMs: attempt.durationMs, ...(attempt.error ? { error: attempt.error } : {}) }));
      context.stdout.write(`${JSON.stringify({ path: clonePath, source: { name: source.name, kind: source.kind, url: source.url }, fetchUrl, pushUrl, engine, durationMs, toppedUpFromPrimary, ...(largeFiles ? { largeFiles } : {}), attempts })}\n`);
    } else {
      context.stdout.write(`${renderCloneSummary(job)}\n`);
      context.stdout.write(`  why:   ${result.reason}\n  fetch: ${result.fetchUrl}\n  push:  ${result.pushUrl}\n`);
      if (result.toppedUpFromPrimary.length > 0) context.stdout.write(`  fetched from the primary, which the mirror lacked: ${result.toppedUpFromPrimary.join(', ')}\n`);
    }
    const lfs = result.largeFiles ? renderLargeFiles(result.largeFiles) : {};
    if (lfs.info && !context.json) context.stdout.write(`${lfs.info}\n`);
    if (lfs.warning) context.stderr.write(`${lfs.warning}\n`);
    return 0;
  },
};
