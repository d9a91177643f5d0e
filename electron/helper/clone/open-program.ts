/**
 * Which program opens a folder in the file manager, a terminal or an editor, per platform. The
 * folder always travels as one argv entry or as the working directory, never through a shell, so
 * no character in a path can become a command.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { ContractError, type CloneOpenTarget } from '../../../shared/contract';

export interface Launch {
  /** An absolute path to the executable. */
  command: string;
  args: string[];
  cwd: string;
  /** What the user knows it by, for the answer ("gnome-terminal", "Visual Studio Code"). */
  program: string;
}

export interface OpenEnvironment {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  return access(file, platform === 'win32' ? constants.F_OK : constants.X_OK).then(
    () => true,
    () => false,
  );
}

/** `name` on PATH as an absolute path; an absolute `name` is taken as it is when executable. */
export async function findProgram(name: string, { platform, env }: OpenEnvironment): Promise<string | undefined> {
  const paths = platform === 'win32' ? path.win32 : path.posix;
  if (paths.isAbsolute(name)) return (await isExecutable(name, platform)) ? name : undefined;
  if (name.includes('/') || name.includes('\\')) return undefined; // relative to what? never the helper's cwd
  const searchPath = env.PATH ?? env.Path ?? '';
  const extensions = platform === 'win32' ? ['.exe', '.com'] : [''];
  for (const directory of searchPath.split(platform === 'win32' ? ';' : ':')) {
    if (!directory || !paths.isAbsolute(directory)) continue; // a relative entry would depend on the cwd
    for (const extension of extensions) {
      const candidate = paths.join(directory, name.toLowerCase().endsWith(extension) ? name : name + extension);
      if (await isExecutable(candidate, platform)) return candidate;
    }
  }
  return undefined;
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
/** GUI editors that open a folder as a project when given it as their argument. */
const editors = ['code', 'code-insiders', 'codium', 'zed', 'subl'];

/** Terminals that take the folder as an option as well (some ignore the working directory). */
function terminalArgs(name: string, folder: string): string[] {
  if (name === 'gnome-terminal' || name === 'xfce4-terminal') return [`--working-directory=${folder}`];
  if (name === 'konsole') return ['--workdir', folder];
  return [];
}

function notFound(what: string, hint: string): ContractError {
  return new ContractError('NOT_FOUND', what, { hint });
}

async function linux(target: CloneOpenTarget, folder: string, environment: OpenEnvironment): Promise<Launch> {
  const xdgOpen = await findProgram('xdg-open', environment);
  if (target === 'folder') {
    if (!xdgOpen) throw notFound('No file manager opener found (xdg-open is not on PATH).', 'Install xdg-utils, or open the folder yourself: its path is shown on the card.');
    return { command: xdgOpen, args: [folder], cwd: folder, program: 'xdg-open' };
  }
  if (target === 'terminal') {
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
  const editor = await firstOnPath(editors, environment);
  if (editor) return { command: editor.command, args: [folder], cwd: folder, program: editor.name };
  if (xdgOpen) return { command: xdgOpen, args: [folder], cwd: folder, program: 'xdg-open' };
  throw notFound('No editor found.', 'Install Visual Studio Code (the code command on PATH), or open the folder from your editor.');
}

async function macos(target: CloneOpenTarget, folder: string, environment: OpenEnvironment): Promise<Launch> {
  const open = (await findProgram('open', environment)) ?? '/usr/bin/open';
  if (target === 'folder') return { command: open, args: [folder], cwd: folder, program: 'Finder' };
  if (target === 'terminal') return { command: open, args: ['-a', 'Terminal', folder], cwd: folder, program: 'Terminal' };
  const editor = await firstOnPath(editors, environment);
  if (editor) return { command: editor.command, args: [folder], cwd: folder, program: editor.name };
  return { command: open, args: ['-a', 'Visual Studio Code', folder], cwd: folder, program: 'Visual Studio Code' };
}

async function windows(target: CloneOpenTarget, folder: string, environment: OpenEnvironment): Promise<Launch> {
  const systemRoot = environment.env.SystemRoot ?? environment.env.SYSTEMROOT ?? 'C:\\Windows';
  if (target === 'folder') return { command: path.win32.join(systemRoot, 'explorer.exe'), args: [folder], cwd: folder, program: 'Explorer' };
  if (target === 'terminal') {
    const terminal = await findProgram('wt', environment);
    if (terminal) return { command: terminal, args: ['-d', folder], cwd: folder, program: 'Windows Terminal' };
    return { command: path.win32.join(systemRoot, 'System32', 'cmd.exe'), args: [], cwd: folder, program: 'Command Prompt' };
  }
  // `code` on PATH is code.cmd, which cannot start without a shell: start Code.exe beside its bin folder.
  for (const name of ['code.cmd', 'code-insiders.cmd']) {
    const script = await findProgramFile(name, environment);
    if (!script) continue;
    const installation = path.win32.dirname(path.win32.dirname(script));
    const executable = path.win32.join(installation, name === 'code.cmd' ? 'Code.exe' : 'Code - Insiders.exe');
    if (await isExecutable(executable, 'win32')) return { command: executable, args: [folder], cwd: folder, program: 'Visual Studio Code' };
  }
  throw notFound('No editor found.', 'Install Visual Studio Code, or open the folder from your editor.');
}

/** A file with its extension on Windows' PATH (findProgram adds .exe, which a .cmd must not get). */
async function findProgramFile(name: string, { env }: OpenEnvironment): Promise<string | undefined> {
  for (const directory of (env.PATH ?? env.Path ?? '').split(';')) {
    if (!directory || !path.win32.isAbsolute(directory)) continue;
    const candidate = path.win32.join(directory, name);
    if (await isExecutable(candidate, 'win32')) return candidate;
  }
  return undefined;
}

export function resolveLaunch(target: CloneOpenTarget, folder: string, environment: OpenEnvironment): Promise<Launch> {
  if (environment.platform === 'darwin') return macos(target, folder, environment);
  if (environment.platform === 'win32') return windows(target, folder, environment);
  return linux(target, folder, environment);
}
