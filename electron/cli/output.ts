/** How the CLI reports failure: a sentence on stderr (or one JSON line with --json) and an exit code. */
import { ContractError } from '../../shared/contract';
import { UsageError } from './command';

export const exitCodes = { ok: 0, failed: 1, usage: 2, cancelled: 130 } as const;

export function reportError(error: unknown, options: { json: boolean; stderr: NodeJS.WritableStream }): number {
  const usage = error instanceof UsageError || (error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' || (error as { code?: unknown })?.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE';
  const code = error instanceof ContractError ? error.code : usage ? 'USAGE' : 'INTERNAL';
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof ContractError ? error.hint : usage ? 'Run `mirror-clone --help` for usage.' : undefined;
  if (options.json) {
    options.stderr.write(`${JSON.stringify({ error: { code, message, ...(hint ? { hint } : {}) } })}\n`);
  } else {
    options.stderr.write(`mirror-clone: ${message}\n`);
    if (hint) options.stderr.write(`  ${hint}\n`);
  }
  if (code === 'CANCELLED') return exitCodes.cancelled;
  return usage ? exitCodes.usage : exitCodes.failed;
}
