/**
 * Electron main: one window, the helper under supervision, and the security rules of
 * window-policy.ts applied to every web contents. It also answers for `mirror-clone://` links
 * (app-link-handover.ts), passing their raw text to the page. Domain work never happens here.
 */
import { app, ipcMain, session, shell, type BrowserWindow, type WebContents } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, createWindowOptions, decideNavigation } from './window-policy';
import { superviseHelper } from './helper-supervisor';
import { registerDesktopIpc } from './desktop-ipc';
import { createDesktopShell } from './desktop-shell';
import { createRememberedWindow } from './window-state';
import { appLinkScheme, createAppLinkHandover, linkInArgv } from './app-link-handover';
import { desktopChannels } from '../../shared/contract/desktop';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '..', 'renderer', 'index.html');

app.enableSandbox();
// Windows shows notifications only for an app with an id of its own.
if (process.platform === 'win32') app.setAppUserModelId('com.mirror-clone.desktop');

// One app per user: a second helper on the same data folder would sync the same local mirrors
// twice. Launching again brings the open window forward instead, with the link it was started
// for, if any (the OS starts a second copy for a link while the app runs).
if (!app.requestSingleInstanceLock()) {
  app.quit();
  process.exit(0);
}

// The OS opens mirror-clone:// links with this app. Run unpackaged (`electron .`), the OS must
// be told to start Electron with the app's folder; packaged, the installer's entry does it too.
if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(appLinkScheme, process.execPath, [path.resolve(process.argv[1])]);
else app.setAsDefaultProtocolClient(appLinkScheme);

let appWindow: BrowserWindow | undefined;
const bringForward = () => {
  if (!appWindow || appWindow.isDestroyed()) return;
  if (appWindow.isMinimized()) appWindow.restore();
  appWindow.show();
  appWindow.focus();
};
const links = createAppLinkHandover((raw) => {
  if (!appWindow || appWindow.isDestroyed()) return;
  appWindow.webContents.send(desktopChannels.appLink, raw);
  bringForward();
});
links.receive(linkInArgv(process.argv));
// A second start hands over its command line; macOS hands links over by event. Either can come
// before the window exists: the hand-over keeps them.
app.on('second-instance', (_event, argv) => {
  bringForward();
  links.receive(linkInArgv(argv));
});
app.on('open-url', (event, url) => {
  event.preventDefault();
  links.receive(url);
});

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
  appWindow = window;
  // Native requests are honoured for this window's own page only.
  const isAppWindow = (sender: WebContents) => !window.isDestroyed() && sender === window.webContents;
  const desktop = createDesktopShell(window);
  registerDesktopIpc(ipcMain, isAppWindow, desktop);
  // The page says it listens for links (once per load); a reload starts a page that does not yet.
  ipcMain.on(desktopChannels.appLink, (event) => {
    if (isAppWindow(event.sender)) links.pageListening();
  });
  window.webContents.on('did-start-loading', () => links.pageLeft());
  window.on('close', (event) => {
    if (!desktop.confirmClose()) event.preventDefault();
  });
  window.once('ready-to-show', () => window.show());
  void window.loadFile(rendererIndex);

  app.on('before-quit', () => helper.stop());
});

app.on('window-all-closed', () => app.quit());
