/**
 * Where `mirror-clone://` links reach the page. In the desktop app, the OS hands a link to the
 * app (a click in a browser or chat), and main passes its raw text on through the preload. In a
 * browser (development, tests, the demo) the page's address carries one in its fragment,
 * `#link=<the link, percent-encoded>`, beside the helper's token: a fragment is never sent to a
 * server, and the page removes it after the first load, so a reload does not open it again.
 * Either way the text is only handed on: parseAppLink checks it, and nothing runs without a click.
 */
import { desktopBridge } from './desktop';

/** The link in the page's address fragment, if any. */
export function linkFromAddress(location: Pick<Location, 'hash'>): string | undefined {
  return new URLSearchParams(location.hash.replace(/^#/, '')).get('link') ?? undefined;
}

/** Hands every link the desktop shell receives, from now on, to `open`. */
export function listenForDesktopLinks(open: (raw: string) => void): void {
  // `?.` twice: a browser has no desktop shell, and a stand-in shell (tests) may not pass links.
  desktopBridge()?.onAppLink?.((raw) => {
    if (typeof raw === 'string') open(raw);
  });
}
