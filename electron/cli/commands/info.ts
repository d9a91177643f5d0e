import { parseArgs } from 'node:util';
import type { Command } from '../command';

export const infoCommand: Command = {
  name: 'info',
  summary: "Show the helper's version, data folder and platform",
  usage: 'mirror-clone info [--json]',
  async run(args, context) {
    parseArgs({ args, options: {}, allowPositionals: false });
    const client = await context.client();
    const info = await client.call('helper.info', {}, { signal: context.signal });
    if (context.json) {
      context.stdout.write(`${JSON.stringify(info)}\n`);
      return 0;
    }
    const rows: [string, string][] = [
      ['version', info.version],
      ['data folder', info.dataDir],
      ['platform', info.platform],
      ['node', info.nodeVersion],
    ];
    for (const [label, value] of rows) context.stdout.write(`${label.padEnd(12)} ${value}\n`);
    return 0;
  },
};
