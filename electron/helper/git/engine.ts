/**
 * Which engine clones: native git whenever it can, isomorphic-git only as the fallback for HTTP(S)
 * on a machine without a usable git. Native git streams the pack to disk and is 8-10x faster with
 * a fraction of the memory (DESIGN.md, libraries); isomorphic-git has no SSH at all.
 *
 * "Usable" for HTTP means git 2.31 or newer: credentials reach git through GIT_CONFIG_COUNT
 * (environment.ts), which older git silently ignores, so an older git would clone without them.
 * For SSH any git will do (keys come from ssh, not from git's config).
 */
import { GitError } from './errors';
import { gitFeatures, gitVersionAtLeast, type GitBinary } from './git-binary';

export type CloneEngine = 'native' | 'isomorphic-git';

export interface EngineChoiceInput {
  protocol: 'http' | 'ssh';
  /** The git findGit() found; undefined when there is none. */
  gitBinary?: GitBinary;
}

export interface EngineChoice {
  engine: CloneEngine;
  /** Why, in words for a log line or a details view. */
  reason: string;
}

/** The engine and why; throws GitError 'git-missing' for SSH without git. */
export function explainCloneEngine(input: EngineChoiceInput): EngineChoice {
  const { protocol, gitBinary } = input;
  if (protocol !== 'http' && protocol !== 'ssh') throw new GitError('invalid-argument', `unknown protocol ${String(protocol)}`);
  if (protocol === 'ssh') {
    if (!gitBinary) throw new GitError('git-missing', 'Cloning over SSH needs git installed on this computer; clone over HTTPS instead, or install git.');
    return { engine: 'native', reason: `git ${gitBinary.version} (SSH needs native git)` };
  }
  if (!gitBinary) return { engine: 'isomorphic-git', reason: 'no git found on this computer' };
  if (!gitVersionAtLeast(gitBinary, gitFeatures.configEnv)) {
    return { engine: 'isomorphic-git', reason: `git ${gitBinary.version} is older than ${gitFeatures.configEnv} and cannot take credentials safely` };
  }
  return { engine: 'native', reason: `git ${gitBinary.version}` };
}

export function chooseCloneEngine(input: EngineChoiceInput): CloneEngine {
  return explainCloneEngine(input).engine;
}
