/**
 * How a `mirror-clone://` link gets from the OS to the page. The OS starts the app with the link
 * in its command line (Windows, Linux), hands it to the running app as a second start's command
 * line (the single-instance hand-over), or sends an open-url event (macOS), which can come before
 * the window exists. Main keeps such links until the page says it listens, then passes each on
 * as raw text; it never reads them itself (shared/app-link.ts does, in the page). Kept apart from
 * Electron so a test can drive it.
 */

export const appLinkScheme = 'mirror-clone';

/** Links kept for a page that is not listening yet; a flood beyond this is dropped. */
const maxWaiting = 10;

/** The link in a command line, if the OS started the app (or a second copy of it) for one. */
export function linkInArgv(argv: readonly string[]): string | undefined {
  return argv.find((argument) => argument.toLowerCase().startsWith(`${appLinkScheme}:`));
}

export interface AppLinkHandover {
  /** A link from the OS; passed on now if the page listens, else kept until it does. */
  receive(raw: string | undefined): void;
  /** The page listens (again, after a reload): the links kept for it go now. */
  pageListening(): void;
  /** The page is being replaced: keep links until the new one listens. */
  pageLeft(): void;
}

export function createAppLinkHandover(deliver: (raw: string) => void): AppLinkHandover {
  const waiting: string[] = [];
  let listening = false;
  return {
    receive(raw) {
      if (raw === undefined) return;
      if (listening) deliver(raw);
      else if (waiting.length < maxWaiting) waiting.push(raw);
    },
    pageListening() {
      listening = true;
      for (const raw of waiting.splice(0)) deliver(raw);
    },
    pageLeft() {
      listening = false;
    },
  };
}
