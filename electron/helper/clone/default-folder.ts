/**
 * Where clones go when the user has not chosen: the platform's convention. Visual Studio clones
 * into ~/source/repos on Windows; elsewhere ~/src is the common habit (and what Go and many
 * dotfiles assume), so a newcomer's clones land where their other work already is.
 */
import os from 'node:os';
import path from 'node:path';
import { ContractError } from '../../../shared/contract';

export function conventionalCloneFolder(home: string = os.homedir(), platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? path.join(home, 'source', 'repos') : path.join(home, 'src');
}

/** A folder the user typed for Settings: ~ is their home; anything else must be a full path. */
export function absoluteCloneFolder(folder: string, home: string = os.homedir()): string {
  const trimmed = folder.trim();
  if (trimmed === '~' || trimmed.startsWith('~/')) return path.join(home, trimmed.slice(1));
  if (!path.isAbsolute(trimmed)) {
    throw new ContractError('INVALID_PARAMS', `The default clone folder "${trimmed}" is not a full path.`, { hint: `Give the whole path, e.g. ${conventionalCloneFolder(home)}` });
  }
  return path.normalize(trimmed);
}
