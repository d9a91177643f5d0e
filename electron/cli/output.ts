/** How the CLI reports failure: a sentence on stderr (or one JSON line with --json) and an exit code. */
import { ContractError } from '../../shared/contract';
import { UsageError } from './command';

/** The exit codes `mirror-clone --help` and the README list. */
export const exitCodes = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

const parseArgsMistakes = new Set(['ERR_PARSE_ARGS_UNKNOWN_OPTION', 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL', 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE']);

/** A mistake in how the command was called, as opposed to something that went wrong while it ran. */
function isUsageMistake(error: unknown): boolean {
  if (error instanceof UsageError) return true;
  if (error instanceof ContractError) return error.details?.usage === true;
  return parseArgsMistakes.has(String((error as { code?: unknown })?.code));
}

export function reportError(error: unknown, options: { json: boolean; stderr: NodeJS.WritableStream }): number {
  const usage = isUsageMistake(error);
  const code = error instanceof ContractError ? error.code : usage ? 'USAGE' : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  // Hints are worded for the app unless the error carries one for a terminal.
  const hint = error instanceof ContractError ? (error.terminalHint ?? error.hint) : error instanceof UsageError && error.hint ? error.hint : usage ? 'Run `mirror-clone --help` for usage.' : undefined;
  if (options.json) {
    options.stderr.write(`${JSON.stringify({ error: { code, message, ...(hint ? { hint } : {}) } })}\n`);
  } else {
    options.stderr.write(`mirror-clone: ${message}\n`);
    if (hint) options.stderr.write(`  ${hint}\n`);
  }
  if (code === 'CANCELLED') return exitCodes.cancelled;
  return usage ? exitCodes.usage : exitCodes.failed;
}
