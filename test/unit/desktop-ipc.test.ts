/**
 * The rules main applies to the page's native requests: only the app's own window, only valid
 * shapes, notifications at a bounded rate. Electron's ipcMain is stood in for by a table of
 * handlers, the way Electron itself calls them (event first, then the payload).
 */
import { describe, expect, it } from 'vitest';
import type { WebContents } from 'electron';
import { createRateLimit, registerDesktopIpc, type DesktopShell } from '../../electron/main/desktop-ipc';
import { desktopChannels } from '../../shared/contract/desktop';

type Handler = (event: { sender: WebContents }, payload: unknown) => unknown;

function setUp() {
  const handlers = new Map<string, Handler>();
  const ipc = {
    on: (channel: string, handler: Handler) => handlers.set(channel, handler),
    handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
  };
  const appWindow = { id: 1 } as unknown as WebContents;
  const otherWindow = { id: 2 } as unknown as WebContents;
  const calls: { kind: string; value: unknown }[] = [];
  const shell: DesktopShell = {
    chooseFolder: async (request) => (calls.push({ kind: 'chooseFolder', value: request }), '/home/user/src'),
    setProgress: (progress) => void calls.push({ kind: 'setProgress', value: progress }),
    notify: (notification) => void calls.push({ kind: 'notify', value: notification }),
  };
  registerDesktopIpc(ipc as never, (sender) => sender === appWindow, shell);
  const send = (channel: string, payload: unknown, sender = appWindow) => handlers.get(channel)!({ sender }, payload);
  return { send, calls, otherWindow };
}

describe('native requests from the page', () => {
  it('opens the folder picker for the app window and answers with the folder', async () => {
    const { send, calls } = setUp();
    expect(await send(desktopChannels.chooseFolder, { title: 'Clone into this folder', defaultPath: '/home/user' })).toBe('/home/user/src');
    expect(calls).toEqual([{ kind: 'chooseFolder', value: { title: 'Clone into this folder', defaultPath: '/home/user' } }]);
  });

  it('ignores requests from any other web contents', async () => {
    const { send, calls, otherWindow } = setUp();
    expect(await send(desktopChannels.chooseFolder, { title: 'x' }, otherWindow)).toBeUndefined();
    send(desktopChannels.setProgress, { fraction: 0.5, mode: 'normal', running: 1 }, otherWindow);
    send(desktopChannels.notify, { title: 'Cloned', body: '' }, otherWindow);
    expect(calls).toEqual([]);
  });

  it('drops malformed payloads instead of passing them to the OS', async () => {
    const { send, calls } = setUp();
    expect(await send(desktopChannels.chooseFolder, { title: 'x', properties: ['openFile'] })).toBeUndefined();
    send(desktopChannels.setProgress, { fraction: 7, mode: 'normal', running: 1 });
    send(desktopChannels.setProgress, 'half');
    send(desktopChannels.notify, { title: 'x'.repeat(500), body: '' });
    send(desktopChannels.notify, { title: '', body: 'no title' });
    expect(calls).toEqual([]);
    send(desktopChannels.setProgress, { mode: 'error', running: 0 });
    expect(calls).toEqual([{ kind: 'setProgress', value: { mode: 'error', running: 0 } }]);
  });

  it('lets at most five notifications through in ten seconds', () => {
    const { send, calls } = setUp();
    for (let index = 0; index < 8; index += 1) send(desktopChannels.notify, { title: `Cloned ${index}`, body: '' });
    expect(calls.map((call) => (call.value as { title: string }).title)).toEqual(['Cloned 0', 'Cloned 1', 'Cloned 2', 'Cloned 3', 'Cloned 4']);
  });
});

describe('the rate limit', () => {
  it('admits again once the window has passed', () => {
    let now = 0;
    const allow = createRateLimit(2, 1000, () => now);
    expect([allow(), allow(), allow()]).toEqual([true, true, false]);
    now = 999;
    expect(allow()).toBe(false);
    now = 1000;
    expect([allow(), allow(), allow()]).toEqual([true, true, false]);
  });
});
