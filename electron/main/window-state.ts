/**
 * Remembers the window's place and size between runs (electron-store, main's own settings) and
 * restores them within the screens present now (window-bounds.ts holds the rules).
 */
import { BrowserWindow, screen, type BrowserWindowConstructorOptions } from 'electron';
import Store from 'electron-store';
import { restoreWindowBounds } from './window-bounds';

const store = new Store<{ window?: unknown }>({ name: 'window-state' });

export function createRememberedWindow(options: BrowserWindowConstructorOptions): BrowserWindow {
  const primary = screen.getPrimaryDisplay();
  const workAreas = [primary.workArea, ...screen.getAllDisplays().filter((display) => display.id !== primary.id).map((display) => display.workArea)];
  const restored = restoreWindowBounds(store.get('window'), workAreas, { width: options.width ?? 1180, height: options.height ?? 760 }, { width: options.minWidth ?? 0, height: options.minHeight ?? 0 });
  const window = new BrowserWindow({ ...options, ...restored.bounds });
  if (restored.maximized) window.maximize();
  // The normal bounds, not the maximized ones: un-maximizing next time returns to them.
  window.on('close', () => store.set('window', { bounds: window.getNormalBounds(), maximized: window.isMaximized() }));
  return window;
}
