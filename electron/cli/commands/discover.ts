import { parseArgs } from 'node:util';
import { primaryOption, repositoryLabel, UsageError, type Command } from '../command';
import { discoveryJson, renderDiscoveryTable } from '../render/discovery-table';
import { describeLargeFiles } from '../../../shared/large-files-outlook';

export const discoverCommand: Command = {
  name: 'discover',
  summary: 'Show which servers hold a repository, how close each is, and which one to clone from',
  usage: [
    'mirror-clone discover <repository> [--primary <url>] [--samples N] [--quick] [--json]',
    '',
    '<repository> is a clone URL (primary or mirror, HTTP or SSH), a repository page URL, PROJECT/repo or ~user/repo.',
    '--quick stops measuring a server as soon as it cannot be the closest (what a clone does), so its row shows only a lower bound.',
    'With MIRROR_CLONE_TOKEN set, the token is used for the primary named by the URL, --primary or MIRROR_CLONE_PRIMARY.',
  ].join('\n'),
  async run(args, context) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { primary: { type: 'string' }, samples: { type: 'string' }, quick: { type: 'boolean' } } });
    if (positionals.length !== 1) throw new UsageError('discover takes exactly one repository.');
    const samples = values.samples === undefined ? undefined : Number(values.samples);
    if (samples !== undefined && (!Number.isInteger(samples) || samples < 1 || samples > 20)) throw new UsageError('--samples must be a whole number from 1 to 20.');
    context.announce(`Finding the servers that hold ${repositoryLabel(positionals[0]!)} and measuring them…`);
    const client = await context.client();
    const result = await client.call('discovery.run', { repository: positionals[0]!, primary: primaryOption(values.primary), samples, measureAll: !values.quick }, { signal: context.signal });
    // Git LFS as seen before a clone: a line under the table, and with no git-lfs here a warning
    // on stderr (in --json too, where both also sit in `largeFiles`).
    const lfs = describeLargeFiles(result.largeFiles, result.candidates.find((candidate) => candidate.chosen));
    if (context.json) context.stdout.write(`${JSON.stringify({ ...discoveryJson(result), largeFiles: { ...result.largeFiles, ...lfs } })}\n`);
    else context.stdout.write(`${renderDiscoveryTable(result)}${lfs.notice ? `Large files: ${lfs.notice}\n` : ''}`);
    if (lfs.warning) context.stderr.write(`Warning: ${lfs.warning}\n`);
    return result.chosen ? 0 : 1;
  },
};
