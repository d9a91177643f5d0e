/**
 * What the desktop shell adds around the page when it runs in Electron: the native folder
 * picker, progress on the taskbar/dock icon, and system notifications. The preload exposes it as
 * `window.mirrorCloneDesktop`; in the browser build it is absent and the page falls back to a
 * text field and the tab title.
 *
 * Main treats every message from the page as untrusted: each is parsed with these schemas before
 * anything native happens (a compromised page must not open dialogs at will or flood the OS
 * with notifications of its choosing).
 */
import { z } from 'zod';

export const desktopChannels = {
  chooseFolder: 'mirror-clone:choose-folder',
  setProgress: 'mirror-clone:set-progress',
  notify: 'mirror-clone:notify',
  /**
   * `mirror-clone://` links the OS handed to the app. The page sends on it once, when it listens
   * (main then hands over the links that came before); main sends each link's raw text on it.
   */
  appLink: 'mirror-clone:app-link',
} as const;

export const chooseFolderRequestSchema = z
  .object({
    title: z.string().min(1).max(120),
    defaultPath: z.string().max(4096).optional(),
  })
  .strict();

/** `fraction` undefined: nothing running, the icon shows no bar. */
export const taskbarProgressSchema = z
  .object({
    fraction: z.number().min(0).max(1).optional(),
    /** 'error' paints the bar red on Windows while a failed clone is unacknowledged. */
    mode: z.enum(['normal', 'error']),
    /** Running clones, shown as the dock badge on macOS. */
    running: z.number().int().min(0).max(999),
  })
  .strict();

export const desktopNotificationSchema = z
  .object({
    title: z.string().min(1).max(120),
    body: z.string().max(400),
  })
  .strict();

export type ChooseFolderRequest = z.infer<typeof chooseFolderRequestSchema>;
export type TaskbarProgress = z.infer<typeof taskbarProgressSchema>;
export type DesktopNotification = z.infer<typeof desktopNotificationSchema>;

export interface DesktopBridge {
  /** The folder picked, or undefined when the user cancelled. */
  chooseFolder(request: ChooseFolderRequest): Promise<string | undefined>;
  setProgress(progress: TaskbarProgress): void;
  notify(notification: DesktopNotification): void;
  /**
   * Calls `listener` with each `mirror-clone://` link the OS opens the app with, as raw text
   * (the page checks it: shared/app-link.ts), starting with any that came before it listened.
   */
  onAppLink(listener: (raw: string) => void): void;
}
