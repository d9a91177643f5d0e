/**
 * The editor setting is one line a person types ("code", "/opt/idea/bin/idea.sh", `subl -n`).
 * It becomes an argv here, by the few rules people expect from a command line (spaces separate,
 * quotes group, a backslash escapes the next character inside double quotes) and nothing more:
 * no variables, no globbing, no `;`, `|`, `&&` or `$(...)` meaning anything. The result is started
 * without a shell, so a hostile value can at worst name a program that does not exist, and the
 * program must not be a shell or script interpreter that would run its arguments as code.
 */
import path from 'node:path';
import { ContractError } from '../../../shared/contract';
import { findProgram, type OpenEnvironment } from './find-program';

const maxArguments = 20;

/** Programs that run their arguments as code: a "command" through one of them is a shell in disguise. */
const interpreters = new Set([
  'sh', 'bash', 'dash', 'zsh', 'ksh', 'fish', 'csh', 'tcsh', 'env', 'sudo', 'doas', 'xargs', 'nohup', 'setsid', 'busybox',
  'cmd', 'powershell', 'pwsh', 'wscript', 'cscript', 'mshta', 'rundll32',
  'python', 'python3', 'perl', 'ruby', 'node', 'php', 'lua', 'osascript', 'eval', 'exec',
]);

function refuse(message: string, hint = 'Give the editor\'s command, e.g. code or "/opt/My Editor/bin/editor" --new-window; the clone\'s folder is added at the end.'): ContractError {
  return new ContractError('INVALID_PARAMS', message, { hint });
}

/** Splits a command line into argv, or says why it cannot be used as an editor command. */
export function splitEditorCommand(line: string): string[] {
  const text = line.trim();
  if (!text) throw refuse('The editor command is empty.');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(text)) throw refuse('The editor command contains a line break or a control character.');
  const argv: string[] = [];
  let current = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quote === "'") {
      if (char === "'") quote = undefined;
      else current += char;
    } else if (quote === '"') {
      if (char === '"') quote = undefined;
      else if (char === '\\' && (text[index + 1] === '"' || text[index + 1] === '\\')) current += text[(index += 1)];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      started = true;
    } else if (char === ' ' || char === '\t') {
      if (started) argv.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quote) throw refuse(`The editor command has a ${quote === '"' ? 'double' : 'single'} quote that is never closed.`);
  if (started) argv.push(current);
  if (argv.length > maxArguments) throw refuse(`The editor command has ${argv.length} parts; at most ${maxArguments} are accepted.`);
  const program = argv[0]!;
  const base = path.basename(program.replaceAll('\\', '/')).toLowerCase().replace(/\.(exe|cmd|bat|com)$/, '');
  if (interpreters.has(base) || /^python\d/.test(base)) {
    throw refuse(`${base} runs commands rather than opening a folder, so it cannot be the editor.`, 'Give the editor program itself (e.g. code, subl, idea); it is started directly with the clone\'s folder as its last argument.');
  }
  if (program.startsWith('-')) throw refuse('The editor command starts with an option instead of a program.');
  return argv;
}

export type ResolvedEditor = { found: true; program: string; command: string; args: string[] } | { found: false; program: string };

/**
 * What a command line starts on this machine: its program found (on PATH or as a path) and able
 * to start without a shell. One rule for the setting when it is saved and when a clone is opened:
 * a Windows .cmd or .bat is refused at both, not saved and then failing at every open.
 */
export async function resolveEditorCommand(line: string, environment: OpenEnvironment): Promise<ResolvedEditor> {
  const [program, ...args] = splitEditorCommand(line);
  const command = await findProgram(program!, environment);
  if (!command) return { found: false, program: program! };
  if (environment.platform === 'win32' && /\.(cmd|bat)$/i.test(command)) {
    throw new ContractError('INVALID_PARAMS', `The editor ${program} is a script that needs a shell to start.`, { hint: 'Choose the editor\'s .exe in Settings → Editor (e.g. Code.exe rather than code.cmd).' });
  }
  return { found: true, program: program!, command, args };
}
