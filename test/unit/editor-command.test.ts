/**
 * The editor setting as argv: quotes group, nothing else has meaning (no `;`, `$(...)`, globs or
 * variables), shells and interpreters are refused as the program; and the editors found on a
 * machine are offered as commands that read back to the same argv.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { resolveEditorCommand, splitEditorCommand } from '../../electron/helper/clone/editor-command';
import { detectEditors, quoteArgument } from '../../electron/helper/clone/editors';
import { makeTempDir } from '../support/temp-dir';
import { placeholderProgram } from '../support/placeholder-program';

let root: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  root = await makeTempDir('editor-command');
});
afterAll(async () => {
  await root?.cleanup();
});

describe('splitEditorCommand', () => {
  it('splits on spaces and groups quoted parts', () => {
    expect(splitEditorCommand('  code   --new-window ')).toEqual(['code', '--new-window']);
    expect(splitEditorCommand(`"/opt/My Editor/bin/edit" -n 'a b' "say \\"hi\\"" ''`)).toEqual(['/opt/My Editor/bin/edit', '-n', 'a b', 'say "hi"', '']);
    expect(splitEditorCommand(`'C:\\Program Files\\Microsoft VS Code\\Code.exe'`)).toEqual(['C:\\Program Files\\Microsoft VS Code\\Code.exe']);
  });

  it('gives shell syntax no meaning: it stays text in the arguments', () => {
    expect(splitEditorCommand('code; rm -rf ~')).toEqual(['code;', 'rm', '-rf', '~']);
    expect(splitEditorCommand('code $(touch /tmp/pwned) `id` | tee x && y $HOME *')).toEqual(['code', '$(touch', '/tmp/pwned)', '`id`', '|', 'tee', 'x', '&&', 'y', '$HOME', '*']);
  });

  it('refuses shells and interpreters as the program, whatever their path or extension', () => {
    for (const line of ['sh -c "touch pwned"', '/bin/bash', 'env code', 'python3 -c x', 'C:\\Windows\\System32\\cmd.exe /c calc', 'pwsh.exe', '/usr/bin/python3.12 -m x']) {
      expect(() => splitEditorCommand(line), line).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS', message: expect.stringContaining('cannot be the editor') }));
    }
  });

  it('refuses what cannot be a command line, with the reason', () => {
    expect(() => splitEditorCommand('   ')).toThrow(expect.objectContaining({ message: 'The editor command is empty.' }));
    expect(() => splitEditorCommand('code\nrm -rf ~')).toThrow(expect.objectContaining({ message: expect.stringContaining('line break') }));
    expect(() => splitEditorCommand('code\u0000x')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMS' }));
    expect(() => splitEditorCommand('"/opt/edit')).toThrow(expect.objectContaining({ message: expect.stringContaining('double quote that is never closed') }));
    expect(() => splitEditorCommand('--help')).toThrow(expect.objectContaining({ message: expect.stringContaining('starts with an option') }));
    expect(() => splitEditorCommand(`code ${'x '.repeat(25)}`)).toThrow(expect.objectContaining({ message: expect.stringContaining('at most 20') }));
  });

  it('reads back every quoted argument as it was', () => {
    for (const value of ['plain', 'with space', "it's", 'say "hi" \\ there', '', 'C:\\Program Files\\x.exe', "both ' and \""]) {
      expect(splitEditorCommand(`edit ${quoteArgument(value)}`)).toEqual(['edit', value]);
    }
  });
});

describe('detectEditors', () => {
  it('finds known launchers on PATH and in JetBrains Toolbox, most wanted first, each once', async () => {
    const bin = path.join(root.path, 'bin');
    const other = path.join(root.path, 'other bin');
    const home = path.join(root.path, 'home');
    const gedit = await placeholderProgram(bin, 'gedit');
    const code = await placeholderProgram(other, 'code');
    await placeholderProgram(bin, 'code'); // later on PATH: the first one wins
    const idea = await placeholderProgram(path.join(home, '.local', 'share', 'JetBrains', 'Toolbox', 'scripts'), 'idea');
    await placeholderProgram(bin, 'not-an-editor');
    const found = await detectEditors({ platform: 'linux', env: { PATH: `${other}:${bin}`, HOME: home } });
    expect(found).toEqual([
      { name: 'Visual Studio Code', command: quoteArgument(code) },
      { name: 'IntelliJ IDEA', command: idea },
      { name: 'gedit', command: gedit },
    ]);
    expect(splitEditorCommand(found[0]!.command)).toEqual([code]);
  });

  it('finds nothing on an empty PATH', async () => {
    expect(await detectEditors({ platform: 'linux', env: { PATH: '', HOME: path.join(root.path, 'nobody') } })).toEqual([]);
  });
});

describe('resolveEditorCommand (the one rule for saving the setting and opening a clone)', () => {
  it('finds the program and keeps its arguments, says which program is missing, and refuses a Windows script', async () => {
    const bin = path.join(root.path, 'resolve-bin');
    const code = await placeholderProgram(bin, 'code');
    expect(await resolveEditorCommand('code --new-window', { platform: 'linux', env: { PATH: bin } })).toEqual({ found: true, program: 'code', command: code, args: ['--new-window'] });
    expect(await resolveEditorCommand('subl -n', { platform: 'linux', env: { PATH: bin } })).toEqual({ found: false, program: 'subl' });
    // Saved, it would fail at every open: a .cmd needs cmd.exe, which is never used to start an editor.
    const script = await placeholderProgram(bin, 'code.cmd');
    await expect(resolveEditorCommand(`"${script}"`, { platform: 'win32', env: {} })).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('script that needs a shell') });
  });
});
