/**
 * Which program opens a folder in the file manager, a terminal or an editor, per platform (the
 * editor: the one chosen in Settings, else the first found). The folder always travels as one
 * argv entry or as the working directory, never through a shell, so no character in a path can
 * become a command.
 */
import path from 'node:path';
import { ContractError, type CloneOpenTarget } from '../../../shared/contract';
import { detectEditors } from './editors';
import { resolveEditorCommand } from './editor-command';
import { findProgram, type OpenEnvironment } from './find-program';

export type { OpenEnvironment } from './find-program';

export interface Launch {
  /** An absolute path to the executable. */
  command: string;
  args: string[];
  cwd: string;
  /** What the user knows it by, for the answer ("gnome-terminal", "Visual Studio Code"). */
  program: string;
}

/** The first of `names` found on PATH. */
async function firstOnPath(names: readonly string[], environment: OpenEnvironment): Promise<{ name: string; command: string } | undefined> {
  for (const name of names) {
    const command = await findProgram(name, environment);
    if (command) return { name, command };
  }
  return undefined;
}

const linuxTerminals = ['x-terminal-emulator', 'gnome-terminal', 'konsole', 'xfce4-terminal', 'kitty', 'alacritty', 'wezterm', 'xterm'];

/** Terminals that take the folder as an option as well (some ignore the working directory). */
function terminalArgs(name: string, folder: string): string[] {
  if (name === 'gnome-terminal' || name === 'xfce4-terminal') return [`--working-directory=${folder}`];
  if (name === 'konsole') return ['--workdir', folder];
  return [];
}

function notFound(what: string, hint: string): ContractError {
  return new ContractError('NOT_FOUND', what, { hint });
}

async function linux(target: 'folder' | 'terminal', folder: string, environment: OpenEnvironment): Promise<Launch> {
  const xdgOpen = await findProgram('xdg-open', environment);
  if (target === 'folder') {
    if (!xdgOpen) throw notFound('No file manager opener found (xdg-open is not on PATH).', 'Install xdg-utils, or open the folder yourself: its path is shown on the card.');
    return { command: xdgOpen, args: [folder], cwd: folder, program: 'xdg-open' };
  }
  {
    // TERMINAL is a convention, not a standard: honour it first, as a program name or path (its
    // arguments split on spaces, without any shell quoting).
    const [configured, ...configuredArgs] = (environment.env.TERMINAL ?? '').trim().split(/\s+/).filter(Boolean);
    if (configured) {
      const command = await findProgram(configured, environment);
      if (!command) throw notFound(`The terminal in TERMINAL (${configured}) was not found.`, "Set TERMINAL to your terminal's command, e.g. gnome-terminal or /usr/bin/kitty.");
      return { command, args: configuredArgs, cwd: folder, program: path.basename(configured) };
    }
    const found = await firstOnPath(linuxTerminals, environment);
    if (!found) throw notFound('No terminal found.', "Set TERMINAL to your terminal's command (e.g. gnome-terminal), then restart mirror-clone.");
    return { command: found.command, args: terminalArgs(found.name, folder), cwd: folder, program: found.name };
  }
}

async function macos(target: 'folder' | 'terminal', folder: string, environment: OpenEnvironment): Promise<Launch> {
  const open = (await findProgram('open', environment)) ?? '/usr/bin/open';
  if (target === 'folder') return { command: open, args: [folder], cwd: folder, program: 'Finder' };
  return { command: open, args: ['-a', 'Terminal', folder], cwd: folder, program: 'Terminal' };
}

async function windows(target: 'folder' | 'terminal', folder: string, environment: OpenEnvironment): Promise<Launch> {
  const systemRoot = environment.env.SystemRoot ?? environment.env.SYSTEMROOT ?? 'C:\\Windows';
  if (target === 'folder') return { command: path.win32.join(systemRoot, 'explorer.exe'), args: [folder], cwd: folder, program: 'Explorer' };
  if (target === 'terminal') {
    const terminal = await findProgram('wt', environment);
    if (terminal) return { command: terminal, args: ['-d', folder], cwd: folder, program: 'Windows Terminal' };
  }
  return { command: path.win32.join(systemRoot, 'System32', 'cmd.exe'), args: [], cwd: folder, program: 'Command Prompt' };
}

/**
 * The editor: the command chosen in Settings, otherwise the first editor found on this machine.
 * Never a generic opener: xdg-open or Finder would show a file manager, not an editor.
 */
async function editorLaunch(folder: string, environment: OpenEnvironment, configured: string | undefined): Promise<Launch> {
  const settingHint = 'Choose your editor in Settings → Editor (any program that opens a folder, e.g. code or subl).';
  const line = configured ?? (await detectEditors(environment))[0]?.command;
  if (!line) throw notFound('No editor is set, and none was found on this machine.', settingHint);
  const editor = await resolveEditorCommand(line, environment);
  if (!editor.found) {
    throw notFound(configured ? `The editor chosen in Settings (${editor.program}) was not found.` : `The editor ${editor.program} was not found.`, `Install it, or ${settingHint.charAt(0).toLowerCase()}${settingHint.slice(1)}`);
  }
  return { command: editor.command, args: [...editor.args, folder], cwd: folder, program: launchName(editor.command, editor.args) };
}

/** "code", "subl", or for `open -a …/Zed.app` the app's name. */
function launchName(command: string, args: string[]): string {
  const base = path.basename(command.replaceAll('\\', '/'));
  const app = args[0] === '-a' ? args[1] : undefined;
  return app ? path.basename(app).replace(/\.app$/, '') : base.replace(/\.exe$/i, '');
}

export interface LaunchOptions {
  /** The editor setting: a command line (see editor-command.ts). */
  editor?: string;
}

export function resolveLaunch(target: CloneOpenTarget, folder: string, environment: OpenEnvironment, options: LaunchOptions = {}): Promise<Launch> {
  if (target === 'editor') return editorLaunch(folder, environment, options.editor);
  if (environment.platform === 'darwin') return macos(target, folder, environment);
  if (environment.platform === 'win32') return windows(target, folder, environment);
  return linux(target, folder, environment);
}
