/**
 * The security settings of the app window, kept apart from Electron's runtime so a test can
 * read them: an isolated, sandboxed renderer with no Node, a strict CSP, no navigation away
 * from the app, and only https links handed to the OS browser.
 */
import type { BrowserWindowConstructorOptions } from 'electron';
import { contentSecurityPolicy } from '../../shared/security/content-security-policy';

export { contentSecurityPolicy };

export function createWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1180,
    height: 760,
    minWidth: 760,
    minHeight: 480,
    show: false, // shown on 'ready-to-show' so the user never sees a white flash
    title: 'mirror-clone',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

export type NavigationDecision = 'deny' | 'open-external';

/**
 * What to do when the page tries to go somewhere (a link, window.open, location change).
 * The app never navigates itself; https links open in the user's browser; anything else
 * (http, file, javascript:, custom schemes) is refused.
 */
export function decideNavigation(target: string): NavigationDecision {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'deny';
  }
  return url.protocol === 'https:' && url.username === '' && url.password === '' ? 'open-external' : 'deny';
}
