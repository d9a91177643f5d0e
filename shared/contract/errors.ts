/**
 * Errors that cross the contract. Every failure a caller can see has a code it can switch on
 * and a message written for a person: what happened and what to do next.
 */
import { z } from 'zod';

export const errorCodes = [
  'BAD_MESSAGE', // not a contract message at all
  'UNKNOWN_METHOD',
  'INVALID_PARAMS',
  'INVALID_RESULT', // the helper answered with something the contract does not allow
  'CANCELLED',
  'TIMEOUT',
  'HELPER_UNAVAILABLE', // no connection to the helper right now
  'NOT_FOUND',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'RATE_LIMITED',
  'UNSAFE_URL',
  'HOST_KEY_UNKNOWN', // an SSH server whose host key the user has not confirmed yet
  'NETWORK',
  'TLS',
  'NOT_BITBUCKET',
  'GIT',
  'CONFLICT',
  'INTERRUPTED', // the work stopped because the helper did (a crash, a kill)
  'INTERNAL',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export const contractErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  /** What the user can do about it, when there is something (worded for the app). */
  hint: z.string().optional(),
  /** The same advice for a terminal, where it differs ("pass --primary URL", not "paste a URL"). */
  terminalHint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type ContractErrorData = z.infer<typeof contractErrorSchema>;

export class ContractError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly terminalHint?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { hint?: string; terminalHint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'ContractError';
    this.code = code;
    this.hint = options.hint;
    this.terminalHint = options.terminalHint;
    this.details = options.details;
  }

  toData(): ContractErrorData {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.terminalHint === undefined ? {} : { terminalHint: this.terminalHint }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }

  static fromData(data: ContractErrorData): ContractError {
    return new ContractError(data.code, data.message, { hint: data.hint, terminalHint: data.terminalHint, details: data.details });
  }
}

export function isContractError(value: unknown): value is ContractError {
  return value instanceof ContractError;
}
