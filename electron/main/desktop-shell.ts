/**
 * The native side of the desktop bridge for one window: the OS folder picker, the progress bar
 * on the taskbar (Windows, Linux launchers) or dock (macOS) with a badge for running clones, and
 * system notifications that bring the window back when clicked.
 */
import { app, dialog, Notification, type BrowserWindow } from 'electron';
import type { DesktopShell } from './desktop-ipc';

export interface WindowShell extends DesktopShell {
  /** Asks before a close would cancel running clones; true when the window may close. */
  confirmClose(): boolean;
}

export function createDesktopShell(window: BrowserWindow): WindowShell {
  // As the page last reported it: main has no other view of the clones.
  let runningClones = 0;
  return {
    confirmClose() {
      if (runningClones === 0) return true;
      const what = runningClones === 1 ? 'A clone is' : `${runningClones} clones are`;
      const answer = dialog.showMessageBoxSync(window, {
        type: 'question',
        message: `${what} still running.`,
        detail: 'Quitting cancels it and removes what was cloned so far.',
        buttons: ['Keep cloning', 'Quit anyway'],
        defaultId: 0,
        cancelId: 0,
      });
      return answer === 1;
    },
    async chooseFolder({ title, defaultPath }) {
      const answer = await dialog.showOpenDialog(window, { title, defaultPath, properties: ['openDirectory', 'createDirectory'] });
      return answer.canceled ? undefined : answer.filePaths[0];
    },
    setProgress({ fraction, mode, running }) {
      runningClones = running;
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
