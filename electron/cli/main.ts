/**
 * `mirror-clone`: the helper's services for CI machines and scripts. Commands run the services
 * in-process over the same contract the desktop app uses, so both behave the same.
 */
import { pathToFileURL } from 'node:url';
import { createContractClient, type ContractClient } from '../../shared/contract';
import type { Helper } from '../helper/helper';
import { productVersion } from '../helper/version';
import { UsageError, type Command } from './command';
import { infoCommand } from './commands/info';
import { loginCommand } from './commands/login';
import { logoutCommand, mirrorsCommand, primariesCommand } from './commands/primaries';
import { discoverCommand } from './commands/discover';
import { credentialCommand } from './commands/credential';
import { cloneCommand } from './commands/clone';
import { switchCommand } from './commands/switch';
import { localMirrorsCommand } from './commands/cache';
import { keysCommand } from './commands/keys';
import { exitCodes, reportError } from './output';

const commands: Command[] = [cloneCommand, switchCommand, localMirrorsCommand, loginCommand, logoutCommand, primariesCommand, mirrorsCommand, discoverCommand, keysCommand, infoCommand, credentialCommand];

function helpText(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const aliases = (command: Command) => (command.aliases?.length ? ` (also: ${command.aliases.join(', ')})` : '');
  return [
    'mirror-clone: clone Bitbucket Data Center repositories from the nearest mirror, push to the primary.',
    '',
    'Usage: mirror-clone <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}${aliases(command)}`),
    '',
    'Options:',
    '  --json            machine-readable output (one JSON object on stdout; errors as JSON on stderr)',
    '  --ca-file FILE    also trust the certificate authorities in FILE (PEM) for this command only (the stored setting is not changed)',
    '  --help, -h        show help (also `mirror-clone <command> --help`)',
    '  --version         print the version',
    '',
    'Environment:',
    '  MIRROR_CLONE_HOME     the data folder (default: the platform\'s application data folder)',
    '  MIRROR_CLONE_TOKEN    an HTTP access token for the primary a command names (CI), instead of the keychain',
    '  MIRROR_CLONE_PRIMARY  the primary for PROJECT/repo when --primary is not given (with MIRROR_CLONE_TOKEN, nothing needs connecting)',
    '  MIRROR_CLONE_CA_FILE  like --ca-file, for every command run with it (--ca-file wins)',
    '',
    'Exit codes:',
    '  0    done',
    '  1    it failed while running (network, sign-in, a repository that does not exist, git)',
    '  2    a usage mistake: an unknown command or option, a missing or malformed argument (a repository',
    '       reference that is not one, PROJECT/repo with no primary named when one must be)',
    '  130  cancelled (Ctrl-C)',
    '',
  ].join('\n');
}

/** Takes the global `--ca-file FILE` (or `--ca-file=FILE`) out of the arguments, before any `--`. */
function takeCaFile(args: string[]): { rest: string[]; caFile?: string } {
  const rest: string[] = [];
  let caFile: string | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index]!;
    if (arg === '--') {
      rest.push(...args.slice(index));
      break;
    }
    if (arg !== '--ca-file' && !arg.startsWith('--ca-file=')) {
      rest.push(arg);
      continue;
    }
    const value = arg === '--ca-file' ? args[(index += 1)] : arg.slice('--ca-file='.length);
    if (!value || value.startsWith('-')) throw new UsageError('--ca-file needs the path of a PEM file.');
    caFile = value;
  }
  return { rest, caFile };
}

export async function runCli(argv: string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream } = process): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((arg) => arg !== '--json');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);

  let helper: Helper | undefined;
  let client: ContractClient | undefined;
  let caFile: string | undefined;
  const context = {
    json,
    stdout: io.stdout,
    stderr: io.stderr,
    signal: controller.signal,
    announce(line: string) {
      if (!json) io.stderr.write(`${line}\n`);
    },
    async client() {
      if (!client) {
        // Loaded when first needed, so a command can say what it is doing before the helper's
        // modules (a good part of a second) are read.
        const [{ createHelper }, { connectInProcess }, { silentLogger, createLogger }] = await Promise.all([import('../helper/helper'), import('../helper/transports/in-process'), import('../helper/logger')]);
        helper = await createHelper({
          logger: process.env.MIRROR_CLONE_DEBUG ? createLogger((line) => io.stderr.write(line), 'debug') : silentLogger,
          // Trusted for this run only; undefined falls back to MIRROR_CLONE_CA_FILE.
          extraCaFile: caFile,
        });
        client = createContractClient();
        client.attach(connectInProcess(helper.dispatcher));
      }
      return client;
    },
  };

  try {
    const globalOptions = takeCaFile(args);
    caFile = globalOptions.caFile;
    const [first, ...rest] = globalOptions.rest;
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout.write(helpText());
      return first === undefined ? exitCodes.usage : exitCodes.ok;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(json ? `${JSON.stringify({ version: productVersion })}\n` : `${productVersion}\n`);
      return exitCodes.ok;
    }
    const command = commands.find((candidate) => candidate.name === first || candidate.aliases?.includes(first));
    if (!command) throw new UsageError(`Unknown command "${first}".`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout.write(`${command.summary}\n\nUsage: ${command.usage}\n`);
      return exitCodes.ok;
    }
    return await command.run(rest, context);
  } catch (error) {
    return reportError(error, { json, stderr: io.stderr });
  } finally {
    process.off('SIGINT', onSignal);
    client?.close();
    await helper?.stop();
  }
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntryPoint) {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
