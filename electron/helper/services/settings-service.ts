/**
 * `settings.*` methods. A new CA file is read and every certificate in it parsed before it is
 * accepted; a new editor command is split into its argv and its program found before it is.
 */
import os from 'node:os';
import path from 'node:path';
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import type { SettingsStore } from '../store/settings-store';
import type { Settings } from '../../../shared/contract';
import { CaFileProblem, caFileHint, readCaFile } from '../net/ca-file';
import { resolveEditorCommand } from '../clone/editor-command';
import { detectEditors } from '../clone/editors';
import type { OpenEnvironment } from '../clone/find-program';
import { absoluteCloneFolder, conventionalCloneFolder } from '../clone/default-folder';

/** The file's full path: ~ is the user's home; any other relative path would depend on where the helper happened to start. */
function absoluteCaPath(file: string): string {
  const trimmed = file.trim();
  if (trimmed === '~' || trimmed.startsWith('~/')) return path.join(os.homedir(), trimmed.slice(1));
  if (!path.isAbsolute(trimmed)) {
    throw new ContractError('INVALID_PARAMS', `The CA file ${trimmed} is not a full path.`, { hint: `Give the whole path, e.g. ${path.join(os.homedir(), 'company-ca.pem')}` });
  }
  return path.normalize(trimmed);
}

async function checkedCaFile(file: string): Promise<string> {
  const absolute = absoluteCaPath(file);
  try {
    await readCaFile(absolute);
  } catch (error) {
    if (!(error instanceof CaFileProblem)) throw error;
    throw new ContractError(error.reason === 'unreadable' ? 'NOT_FOUND' : 'INVALID_PARAMS', error.message, { hint: caFileHint(error), cause: error });
  }
  return absolute;
}

/** The editor command as it will be stored, once its program is known to exist here. */
async function checkedEditor(line: string, environment: OpenEnvironment): Promise<string> {
  const editor = await resolveEditorCommand(line, environment);
  if (!editor.found) {
    throw new ContractError('NOT_FOUND', `${editor.program} was not found on this machine.`, {
      hint: 'Give the name of a program on PATH (e.g. code) or its full path; choose one of the editors found, if any are listed.',
    });
  }
  return line.trim();
}

export interface SettingsServiceOptions {
  /** Where programs are looked for: this process's platform and environment by default, read per call. */
  environment?(): OpenEnvironment;
  /** The user's home folder, for the default clone folder (this process's by default). */
  home?: string;
}

export function createSettingsService(store: SettingsStore, options: SettingsServiceOptions = {}): Pick<Handlers, 'settings.get' | 'settings.update' | 'settings.editors'> {
  const environment = () => options.environment?.() ?? { platform: process.platform, env: process.env };
  // Answers always name a clone folder: the chosen one, or the platform's convention.
  const withDefaults = (settings: Settings): Settings => ({ ...settings, defaultCloneFolder: settings.defaultCloneFolder ?? conventionalCloneFolder(options.home) });
  return {
    'settings.get': () => withDefaults(store.get()),
    'settings.update': async ({ probeSamples, extraCaFile, cacheQuotaBytes, maxTransferBytes, editor, defaultCloneFolder, localMirrorLargeFiles }) => {
      // null clears the setting; undefined leaves it as it is.
      const caFile = extraCaFile?.trim() ? await checkedCaFile(extraCaFile) : undefined;
      const editorLine = editor?.trim() ? await checkedEditor(editor, environment()) : undefined;
      const current = store.get();
      const cloneFolder = defaultCloneFolder?.trim() ? absoluteCloneFolder(defaultCloneFolder, options.home) : undefined;
      return withDefaults(
        store.update({
          probeSamples: probeSamples ?? current.probeSamples,
          extraCaFile: extraCaFile === undefined ? current.extraCaFile : caFile,
          cacheQuotaBytes: cacheQuotaBytes === undefined ? current.cacheQuotaBytes : (cacheQuotaBytes ?? undefined),
          maxTransferBytes: maxTransferBytes === undefined ? current.maxTransferBytes : (maxTransferBytes ?? undefined),
          editor: editor === undefined ? current.editor : editorLine,
          // null or empty: back to the platform's convention.
          defaultCloneFolder: defaultCloneFolder === undefined ? current.defaultCloneFolder : cloneFolder,
          localMirrorLargeFiles: localMirrorLargeFiles ?? current.localMirrorLargeFiles,
        }),
      );
    },
    'settings.editors': () => detectEditors(environment()),
  };
}
