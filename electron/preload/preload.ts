/**
 * The only bridges between the page and the rest of the app: `window.mirrorClone`, a contract
 * client whose wire is a MessagePort to the helper (main sends a new port after every helper
 * restart; the client keeps its subscriptions across ports), and `window.mirrorCloneDesktop`,
 * the few native things main does for the page (folder picker, taskbar progress, notifications)
 * and the `mirror-clone://` links the OS opens the app with.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createContractClient, exposeAsBridge, type ClientWire } from '../../shared/contract';
import { desktopChannels, type DesktopBridge } from '../../shared/contract/desktop';

const portChannel = 'mirror-clone:helper-port';
const client = createContractClient();

function wireFromPort(port: MessagePort): ClientWire {
  const closeListeners = new Set<() => void>();
  port.addEventListener('close', () => closeListeners.forEach((listener) => listener()));
  port.start();
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      const handler = (event: MessageEvent) => listener(event.data);
      port.addEventListener('message', handler);
      return () => port.removeEventListener('message', handler);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close: () => port.close(),
  };
}

ipcRenderer.on(portChannel, (event) => {
  const [port] = event.ports;
  if (port) client.attach(wireFromPort(port));
});
client.markConnecting();
ipcRenderer.send('mirror-clone:request-port');

contextBridge.exposeInMainWorld('mirrorClone', exposeAsBridge(client));

// The page listens for links once; main keeps the ones that come before it does.
let listeningForLinks = false;

const desktop: DesktopBridge = {
  chooseFolder: (request) => ipcRenderer.invoke(desktopChannels.chooseFolder, request) as Promise<string | undefined>,
  setProgress: (progress) => ipcRenderer.send(desktopChannels.setProgress, progress),
  notify: (notification) => ipcRenderer.send(desktopChannels.notify, notification),
  onAppLink(listener) {
    if (listeningForLinks) return;
    listeningForLinks = true;
    // Only the raw text crosses: the page checks it (shared/app-link.ts) like any other input.
    ipcRenderer.on(desktopChannels.appLink, (_event, raw: unknown) => {
      if (typeof raw === 'string') listener(raw);
    });
    ipcRenderer.send(desktopChannels.appLink);
  },
};
contextBridge.exposeInMainWorld('mirrorCloneDesktop', desktop);
