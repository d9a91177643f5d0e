/**
 * The native side of the desktop bridge for one window: the OS folder picker, the progress bar
 * on the taskbar (Windows, Linux launchers) or dock (macOS) with a badge for running clones, and
 * system notifications that bring the window back when clicked.
 */
import { app, dialog, Notification, type BrowserWindow } from 'electron';
import type { DesktopShell } from './desktop-ipc';

export function createDesktopShell(window: BrowserWindow): DesktopShell {
  return {
    async chooseFolder({ title, defaultPath }) {
      const answer = await dialog.showOpenDialog(window, { title, defaultPath, properties: ['openDirectory', 'createDirectory'] });
      return answer.canceled ? undefined : answer.filePaths[0];
    },
    setProgress({ fraction, mode, running }) {
      if (window.isDestroyed()) return;
      // -1 removes the bar; Electron draws 'error' red on Windows and as normal elsewhere.
      window.setProgressBar(fraction ?? -1, { mode: fraction === undefined ? 'none' : mode });
      app.setBadgeCount(running);
    },
    notify({ title, body }) {
      if (!Notification.isSupported()) return;
      const notification = new Notification({ title, body });
      notification.on('click', () => {
        if (window.isDestroyed()) return;
        if (window.isMinimized()) window.restore();
        window.focus();
      });
      notification.show();
    },
  };
}
