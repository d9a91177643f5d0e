/** What every `mirror-clone` subcommand looks like. */
import type { ContractClient } from '../../shared/contract';
import { parseRepositoryReference } from '../../shared/repository-reference';

export interface CommandContext {
  /** The helper's services, reached in-process through the same contract the UI uses. */
  client(): Promise<ContractClient>;
  json: boolean;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  signal: AbortSignal;
  /** Says on stderr, at once, what the command is about to do (nothing with --json). */
  announce(line: string): void;
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

/** A mistake in how the command was called: exit code 2, with what to type instead. */
export class UsageError extends Error {
  readonly hint?: string;

  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** --primary, or MIRROR_CLONE_PRIMARY for a CI job that names its primary once. */
export function primaryOption(value: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return value ?? (env.MIRROR_CLONE_PRIMARY?.trim() || undefined);
}

/**
 * The repository as people call it ("PROJ/repo", "~user/repo"), checked before anything goes over
 * the network: a reference that is not one is a usage mistake, said at once.
 */
export function repositoryLabel(input: string): string {
  const parsed = parseRepositoryReference(input);
  if (!parsed.ok) {
    throw new UsageError(`"${input}" is not a repository reference: ${parsed.reason}.`, 'Pass a clone URL or repository page URL, or PROJECT/repo (~user/repo for a personal one) with --primary URL.');
  }
  return `${parsed.reference.projectKey}/${parsed.reference.slug}`;
}
