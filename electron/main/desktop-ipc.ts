/**
 * The page's requests for native things (folder picker, taskbar progress, notifications),
 * received over IPC and checked before anything native happens: only from the app's own window,
 * only in the shapes of shared/contract/desktop.ts, and notifications at a bounded rate.
 * The native calls themselves live in desktop-shell.ts; this file holds the rules.
 */
import type { IpcMain, IpcMainEvent, IpcMainInvokeEvent, WebContents } from 'electron';
import {
  chooseFolderRequestSchema,
  desktopChannels,
  desktopNotificationSchema,
  taskbarProgressSchema,
  type ChooseFolderRequest,
  type DesktopNotification,
  type TaskbarProgress,
} from '../../shared/contract/desktop';

export interface DesktopShell {
  chooseFolder(request: ChooseFolderRequest): Promise<string | undefined>;
  setProgress(progress: TaskbarProgress): void;
  notify(notification: DesktopNotification): void;
}

/** Allows `limit` events per `windowMs`; the rest are dropped (a stuck loop in the page must not flood the OS). */
export function createRateLimit(limit: number, windowMs: number, now: () => number = Date.now): () => boolean {
  const recent: number[] = [];
  return () => {
    const time = now();
    while (recent.length && time - recent[0]! >= windowMs) recent.shift();
    if (recent.length >= limit) return false;
    recent.push(time);
    return true;
  };
}

export function registerDesktopIpc(ipc: Pick<IpcMain, 'on' | 'handle'>, isAppWindow: (sender: WebContents) => boolean, shell: DesktopShell): void {
  const allowNotification = createRateLimit(5, 10_000);
  const fromApp = (event: IpcMainEvent | IpcMainInvokeEvent) => isAppWindow(event.sender);

  ipc.handle(desktopChannels.chooseFolder, async (event, payload: unknown) => {
    const request = chooseFolderRequestSchema.safeParse(payload);
    if (!fromApp(event) || !request.success) return undefined;
    return shell.chooseFolder(request.data);
  });
  ipc.on(desktopChannels.setProgress, (event, payload: unknown) => {
    const progress = taskbarProgressSchema.safeParse(payload);
    if (fromApp(event) && progress.success) shell.setProgress(progress.data);
  });
  ipc.on(desktopChannels.notify, (event, payload: unknown) => {
    const notification = desktopNotificationSchema.safeParse(payload);
    if (fromApp(event) && notification.success && allowNotification()) shell.notify(notification.data);
  });
}
