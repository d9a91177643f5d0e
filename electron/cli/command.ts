/** What every `mirror-clone` subcommand looks like. */
import type { ContractClient } from '../../shared/contract';

export interface CommandContext {
  /** The helper's services, reached in-process through the same contract the UI uses. */
  client(): Promise<ContractClient>;
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
}

export interface Command {
  name: string;
  /** Older names that still run it (kept so scripts written against them keep working). */
  aliases?: string[];
  summary: string;
  usage: string;
  /** Returns the process exit code. */
  run(args: string[], context: CommandContext): Promise<number>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
