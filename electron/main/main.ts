/**
 * Electron main: one window, the helper under supervision, and the security rules of
 * window-policy.ts applied to every web contents. Domain work never happens here.
 */
import { app, ipcMain, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, createWindowOptions, decideNavigation } from './window-policy';
import { superviseHelper } from './helper-supervisor';
import { registerDesktopIpc } from './desktop-ipc';
import { createDesktopShell } from './desktop-shell';
import { createRememberedWindow } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');

app.enableSandbox();
// Windows shows notifications only for an app with an id of its own.
if (process.platform === 'win32') app.setAppUserModelId('com.mirror-clone.desktop');

// One app per user: a second helper on the same data folder would sync the same local mirrors
// twice. Launching again brings the open window forward instead.
if (!app.requestSingleInstanceLock()) {
  app.quit();
  process.exit(0);
}

app.on('web-contents-created', (_event, contents) => {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (decideNavigation(url) === 'open-external') void shell.openExternal(url);
    return { action: 'deny' };
  });
});

app.whenReady().then(() => {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  const helper = superviseHelper(path.join(here, 'helper.js'));
  ipcMain.on('mirror-clone:request-port', (event) => helper.connect(event.sender));

  const window = createRememberedWindow(createWindowOptions(path.join(here, 'preload.cjs')));
  // Native requests are honoured for this window's own page only.
  const desktop = createDesktopShell(window);
  registerDesktopIpc(ipcMain, (sender) => !window.isDestroyed() && sender === window.webContents, desktop);
  window.on('close', (event) => {
    if (!desktop.confirmClose()) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  app.on('second-instance', () => {
    if (window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  void window.loadFile(rendererIndex);

  app.on('before-quit', () => helper.stop());
});

app.on('window-all-closed', () => app.quit());
