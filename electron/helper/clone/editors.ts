/**
 * Which editors are installed, for the editor setting and for "Editor" when none is chosen:
 * known launchers on PATH (and JetBrains Toolbox's scripts folder), and on macOS and Windows the
 * usual install folders. Each is offered as a command line the editor setting accepts.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import type { DetectedEditor } from '../../../shared/contract';
import { findProgram, type OpenEnvironment } from './find-program';

/** Launchers that open a folder given as their last argument, most likely wanted first. */
const launchers: [name: string, command: string][] = [
  ['Visual Studio Code', 'code'],
  ['Visual Studio Code Insiders', 'code-insiders'],
  ['VSCodium', 'codium'],
  ['Cursor', 'cursor'],
  ['Zed', 'zed'],
  ['Zed', 'zeditor'],
  ['Sublime Text', 'subl'],
  ['IntelliJ IDEA', 'idea'],
  ['PyCharm', 'pycharm'],
  ['WebStorm', 'webstorm'],
  ['GoLand', 'goland'],
  ['CLion', 'clion'],
  ['PhpStorm', 'phpstorm'],
  ['RubyMine', 'rubymine'],
  ['Rider', 'rider'],
  ['RustRover', 'rustrover'],
  ['Android Studio', 'studio'],
  ['Kate', 'kate'],
  ['gedit', 'gedit'],
  ['GNOME Text Editor', 'gnome-text-editor'],
  ['Geany', 'geany'],
  ['Mousepad', 'mousepad'],
  ['Xed', 'xed'],
];

const macApps: [name: string, bundle: string][] = [
  ['Visual Studio Code', 'Visual Studio Code.app'],
  ['VSCodium', 'VSCodium.app'],
  ['Cursor', 'Cursor.app'],
  ['Zed', 'Zed.app'],
  ['Sublime Text', 'Sublime Text.app'],
  ['IntelliJ IDEA', 'IntelliJ IDEA.app'],
  ['IntelliJ IDEA CE', 'IntelliJ IDEA CE.app'],
  ['PyCharm', 'PyCharm.app'],
  ['PyCharm CE', 'PyCharm CE.app'],
  ['WebStorm', 'WebStorm.app'],
  ['GoLand', 'GoLand.app'],
  ['BBEdit', 'BBEdit.app'],
];

const windowsApps: [name: string, base: 'LOCALAPPDATA' | 'ProgramFiles', file: string][] = [
  ['Visual Studio Code', 'LOCALAPPDATA', 'Programs\\Microsoft VS Code\\Code.exe'],
  ['Visual Studio Code', 'ProgramFiles', 'Microsoft VS Code\\Code.exe'],
  ['VSCodium', 'LOCALAPPDATA', 'Programs\\VSCodium\\VSCodium.exe'],
  ['VSCodium', 'ProgramFiles', 'VSCodium\\VSCodium.exe'],
  ['Cursor', 'LOCALAPPDATA', 'Programs\\cursor\\Cursor.exe'],
  ['Sublime Text', 'ProgramFiles', 'Sublime Text\\sublime_text.exe'],
  ['Notepad++', 'ProgramFiles', 'Notepad++\\notepad++.exe'],
];

/** One argv entry as the editor setting reads it back (editor-command.ts): quoted when it has to be. */
export function quoteArgument(value: string): string {
  if (value !== '' && !/[\s"'\\]/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

const exists = (file: string) => stat(file).then(() => true, () => false);

async function onPath(environment: OpenEnvironment): Promise<DetectedEditor[]> {
  // JetBrains Toolbox puts its launchers here, often not on PATH.
  const toolbox = environment.platform === 'linux' ? path.join(environment.env.HOME ?? os.homedir(), '.local', 'share', 'JetBrains', 'Toolbox', 'scripts') : undefined;
  const searchPath = [environment.env.PATH ?? environment.env.Path ?? '', toolbox].filter(Boolean).join(environment.platform === 'win32' ? ';' : ':');
  const found: DetectedEditor[] = [];
  for (const [name, command] of launchers) {
    // On Windows these are .cmd scripts, which cannot start without a shell; the install folders are checked instead.
    if (environment.platform === 'win32') break;
    const file = await findProgram(command, { ...environment, env: { ...environment.env, PATH: searchPath } });
    if (file) found.push({ name, command: quoteArgument(file) });
  }
  return found;
}

async function installed(environment: OpenEnvironment): Promise<DetectedEditor[]> {
  const found: DetectedEditor[] = [];
  if (environment.platform === 'darwin') {
    const home = environment.env.HOME ?? os.homedir();
    for (const [name, bundle] of macApps) {
      for (const folder of ['/Applications', path.join(home, 'Applications')]) {
        const app = path.join(folder, bundle);
        if (await exists(app)) {
          found.push({ name, command: `/usr/bin/open -a ${quoteArgument(app)}` });
          break;
        }
      }
    }
  }
  if (environment.platform === 'win32') {
    for (const [name, base, file] of windowsApps) {
      const root = environment.env[base];
      if (!root) continue;
      const executable = path.win32.join(root, file);
      if (await exists(executable)) found.push({ name, command: quoteArgument(executable) });
    }
  }
  return found;
}

/** Every editor found, each once (the same program on PATH and in an install folder counts once). */
export async function detectEditors(environment: OpenEnvironment): Promise<DetectedEditor[]> {
  const all = [...(await onPath(environment)), ...(await installed(environment))];
  const names = new Set<string>();
  return all.filter((editor) => !names.has(editor.name) && names.add(editor.name));
}
