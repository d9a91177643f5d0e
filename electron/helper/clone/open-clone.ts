/**
 * `clones.open`: starts the user's file manager, terminal or editor on one of their clones. Only
 * paths in the helper's list of clones are accepted, so a page that reaches the helper cannot
 * make it run a program in an arbitrary folder. The program is started detached and left alone:
 * it belongs to the user, not to the helper, and outlives it.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { ContractError, type CloneOpenTarget } from '../../../shared/contract';
import type { ClonesStore } from '../store/clones-store';
import { resolveLaunch, type Launch, type OpenEnvironment } from './open-program';

export interface OpenCloneDeps {
  clones: ClonesStore;
  /** Default: this process's platform and environment, read per call. */
  environment?(): OpenEnvironment;
  /** The editor setting, read per call (a change in Settings applies to the next open). */
  editor?(): string | undefined;
}

/** Variables of ours that must not reach the user's programs: a token, and Electron's node mode (it would break VS Code). */
const privateVariables = ['MIRROR_CLONE_TOKEN', 'ELECTRON_RUN_AS_NODE', 'ELECTRON_NO_ATTACH_CONSOLE'];

function startDetached(launch: Launch, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(launch.command, launch.args, { cwd: launch.cwd, env, detached: true, stdio: 'ignore', shell: false, windowsHide: false });
    child.once('error', (error) => reject(new ContractError('INTERNAL', `Could not start ${launch.program}: ${error.message}`, { hint: 'Check that the program is installed and can be started from a terminal.' })));
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
}

export async function openClone(params: { path: string; target: CloneOpenTarget }, deps: OpenCloneDeps): Promise<{ program: string }> {
  const clone = deps.clones.get(params.path);
  if (!clone) {
    throw new ContractError('NOT_FOUND', `${params.path} is not a clone this helper knows.`, { hint: 'Only clones listed in Local clones can be opened from here.' });
  }
  const folder = await stat(clone.path).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new ContractError('NOT_FOUND', `${clone.path} no longer exists.`, { hint: 'It was moved or deleted. Clone the repository again, or move it back.' });
  }
  const environment = deps.environment?.() ?? { platform: process.platform, env: process.env };
  const launch = await resolveLaunch(params.target, clone.path, environment, { editor: deps.editor?.() });
  const env = { ...environment.env };
  for (const name of privateVariables) delete env[name];
  await startDetached(launch, env);
  return { program: launch.program };
}
