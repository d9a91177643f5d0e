/**
 * Which program opens a clone, per platform and PATH: TERMINAL first, then the usual terminals;
 * the editor chosen in Settings, else the first editor found, never a file manager; a clear
 * NOT_FOUND with what to set when nothing is there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { resolveLaunch } from '../../electron/helper/clone/open-program';
import { makeTempDir } from '../support/temp-dir';
import { placeholderProgram } from '../support/placeholder-program';

let root: Awaited<ReturnType<typeof makeTempDir>>;
const folder = '/home/dev/src/my repo';

beforeAll(async () => {
  root = await makeTempDir('open-program');
});
afterAll(async () => {
  await root?.cleanup();
});

describe('resolveLaunch on Linux', () => {
  it('prefers TERMINAL, with its arguments, and refuses one that is not there', async () => {
    const bin = path.join(root.path, 'linux-terminal');
    const kitty = await placeholderProgram(bin, 'kitty');
    await placeholderProgram(bin, 'xterm');
    const env = { PATH: bin, TERMINAL: 'kitty --single-instance' };
    expect(await resolveLaunch('terminal', folder, { platform: 'linux', env })).toEqual({ command: kitty, args: ['--single-instance'], cwd: folder, program: 'kitty' });
    await expect(resolveLaunch('terminal', folder, { platform: 'linux', env: { PATH: bin, TERMINAL: 'nope-term' } })).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('TERMINAL') });
  });

  it('gives gnome-terminal the folder as an option too', async () => {
    const bin = path.join(root.path, 'linux-gnome');
    const gnome = await placeholderProgram(bin, 'gnome-terminal');
    expect(await resolveLaunch('terminal', folder, { platform: 'linux', env: { PATH: bin } })).toEqual({ command: gnome, args: [`--working-directory=${folder}`], cwd: folder, program: 'gnome-terminal' });
  });

  it('says what to set when no terminal, opener or editor is found', async () => {
    const empty = path.join(root.path, 'linux-empty');
    await mkdir(empty);
    const environment = { platform: 'linux' as const, env: { PATH: `${empty}:relative/bin` } };
    await expect(resolveLaunch('terminal', folder, environment)).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No terminal found.', hint: expect.stringContaining('Set TERMINAL') });
    await expect(resolveLaunch('folder', folder, environment)).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('xdg-utils') });
    await expect(resolveLaunch('editor', folder, environment)).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'No editor is set, and none was found on this machine.', hint: expect.stringContaining('Settings → Editor') });
  });

  it('never opens the file manager as the editor, and skips files that are not executable', async () => {
    const bin = path.join(root.path, 'linux-xdg');
    await placeholderProgram(bin, 'xdg-open');
    await writeFile(path.join(bin, 'code'), 'not executable');
    const subl = await placeholderProgram(bin, 'subl');
    expect(await resolveLaunch('editor', folder, { platform: 'linux', env: { PATH: bin, HOME: root.path } })).toEqual({ command: subl, args: [folder], cwd: folder, program: 'subl' });
    const empty = path.join(root.path, 'linux-only-xdg');
    await placeholderProgram(empty, 'xdg-open');
    await expect(resolveLaunch('editor', folder, { platform: 'linux', env: { PATH: empty, HOME: root.path } })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('uses the editor chosen in Settings, with its arguments, before any editor found', async () => {
    const bin = path.join(root.path, 'linux-chosen');
    await placeholderProgram(bin, 'code');
    const idea = await placeholderProgram(path.join(root.path, 'opt idea', 'bin'), 'idea.sh');
    const environment = { platform: 'linux' as const, env: { PATH: bin, HOME: root.path } };
    expect(await resolveLaunch('editor', folder, environment, { editor: `"${idea}" --wait` })).toEqual({ command: idea, args: ['--wait', folder], cwd: folder, program: 'idea.sh' });
    await expect(resolveLaunch('editor', folder, environment, { editor: 'gone-editor' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'The editor chosen in Settings (gone-editor) was not found.', hint: expect.stringContaining('Settings → Editor') });
  });
});

describe('resolveLaunch on macOS and Windows', () => {
  it('uses open for Finder and Terminal, and for an editor app found in ~/Applications', async () => {
    const home = path.join(root.path, 'mac-home');
    const environment = { platform: 'darwin' as const, env: { PATH: path.join(root.path, 'none'), HOME: home } };
    expect(await resolveLaunch('folder', folder, environment)).toMatchObject({ command: '/usr/bin/open', args: [folder] });
    expect(await resolveLaunch('terminal', folder, environment)).toMatchObject({ args: ['-a', 'Terminal', folder], program: 'Terminal' });
    await expect(resolveLaunch('editor', folder, environment)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await mkdir(path.join(home, 'Applications', 'Zed.app'), { recursive: true });
    expect(await resolveLaunch('editor', folder, environment)).toEqual({ command: '/usr/bin/open', args: ['-a', path.join(home, 'Applications', 'Zed.app'), folder], cwd: folder, program: 'Zed' });
  });

  it('starts Explorer, and cmd in the folder when there is no Windows Terminal', async () => {
    const environment = { platform: 'win32' as const, env: { PATH: 'C:\\nothing-here', SystemRoot: 'C:\\Windows' } };
    expect(await resolveLaunch('folder', 'C:\\src\\repo', environment)).toEqual({ command: 'C:\\Windows\\explorer.exe', args: ['C:\\src\\repo'], cwd: 'C:\\src\\repo', program: 'Explorer' });
    expect(await resolveLaunch('terminal', 'C:\\src\\repo', environment)).toEqual({ command: 'C:\\Windows\\System32\\cmd.exe', args: [], cwd: 'C:\\src\\repo', program: 'Command Prompt' });
    await expect(resolveLaunch('editor', 'C:\\src\\repo', environment)).rejects.toMatchObject({ code: 'NOT_FOUND', hint: expect.stringContaining('Settings → Editor') });
  });
});
