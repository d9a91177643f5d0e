/** The desktop shell's native helpers when the page runs in Electron; undefined in a browser. */
import type { DesktopBridge } from '../../../shared/contract/desktop';

declare global {
  interface Window {
    mirrorCloneDesktop?: DesktopBridge;
  }
}

export function desktopBridge(): DesktopBridge | undefined {
  return window.mirrorCloneDesktop;
}
