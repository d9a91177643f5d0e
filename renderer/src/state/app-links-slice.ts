/**
 * What reaches the app from outside it: a `mirror-clone://` link (from the OS through the desktop
 * shell, or from the page's address in a browser) and a file dropped on the window. Each only
 * ever shows something: a link to a repository fills the paste field (the field looks it up as a
 * paste would), a team file, linked or dropped, opens its summary, and nothing runs until the
 * user presses a button there. A refused link, a team file that could not be fetched and a
 * dropped file that is not a team file each leave a notice that says why, and nothing else.
 *
 * Parsing a link is shared/app-link.ts's alone; fetching a linked team file is the helper's.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HelperClient, PrimarySummary } from '../../../shared/contract';
import { parseAppLink } from '../../../shared/app-link';
import { parseRepositoryReference } from '../../../shared/repository-reference';
import { looksLikeTeamFile, maxTeamFileBytes, parseTeamFile, type ParsedTeamFile } from '../../../shared/team-file';
import { toErrorInfo, type ErrorInfo } from './errors';
import type { NavigationSlice } from './navigation-slice';

export interface OpenedTeamFile {
  name: string;
  parsed: ParsedTeamFile;
  /** The address it was fetched from, for a linked file: shown, so the user sees whose file it is. */
  from?: string;
}

export type LinkNotice =
  /** `link`: the start of what was refused, for the user to recognise (never acted on). */
  | { kind: 'refused'; reason: string; link: string }
  | { kind: 'fetching'; url: string }
  | { kind: 'fetch-failed'; url: string; error: ErrorInfo }
  | { kind: 'not-a-team-file'; name: string; reason: string };

/** A repository a link named, waiting for the paste field to take it (once a primary is connected). */
export interface CloneRequest {
  id: number;
  url: string;
}

export interface AppLinksSlice {
  notice?: LinkNotice;
  cloneRequest?: CloneRequest;
  /** The team file shown for review, however it came (opened, dropped or linked). */
  teamFile?: OpenedTeamFile;
  openLink(raw: string): void;
  /** The paste field has taken the request with this id (a newer one is left for it). */
  takeCloneRequest(id: number): void;
  showTeamFile(file: OpenedTeamFile): void;
  closeTeamFile(): void;
  /** Files dropped on the window: one team file opens its summary; anything else says why not. */
  openDroppedFiles(files: readonly File[]): Promise<void>;
  /** Puts the notice away; a team file still being fetched is no longer waited for. */
  dismissNotice(): void;
}

/** A chosen or dropped file read as a team file; a file of the wrong size is not read at all. */
export async function readTeamFile(file: File): Promise<OpenedTeamFile> {
  if (file.size > maxTeamFileBytes) return { name: file.name, parsed: { ok: false, problems: [`it is ${file.size} bytes; a team file is a few KB`] } };
  return { name: file.name, parsed: parseTeamFile(await file.text()) };
}

/**
 * Whether a linked repository address is on a server the user has connected (a primary, or a
 * mirror added by hand), so looking it up talks only to servers the user chose. A link to any
 * other https server waits for the user to press Find mirrors: anyone can write a link, and a
 * look-up is requests to that server from this machine. An ssh address is matched by the helper
 * against connected primaries alone, without any request, so it is looked up at once.
 */
export function isOnConnectedServer(url: string, primaries: readonly PrimarySummary[]): boolean {
  const parsed = parseRepositoryReference(url);
  if (!parsed.ok || !parsed.reference.server) return false;
  const server = parsed.reference.server;
  if (server.kind === 'ssh') return true;
  const host = (address: string) => {
    try {
      return new URL(address).host.toLowerCase();
    } catch {
      return undefined;
    }
  };
  const linked = host(server.baseUrl);
  return primaries.some((primary) => host(primary.baseUrl) === linked || primary.manualMirrors.some((mirror) => host(mirror.baseUrl) === linked));
}

/** Resolves once the client is connected (at once when it is). */
function whenConnected(client: HelperClient, signal: AbortSignal): Promise<void> {
  if (client.connectionState === 'connected') return Promise.resolve();
  return new Promise((resolve) => {
    const stop = client.onConnectionChange((state) => {
      if (state !== 'connected') return;
      stop();
      resolve();
    });
    signal.addEventListener('abort', () => {
      stop();
      resolve();
    });
  });
}

let requestCounter = 0;

const shownLinkLength = 120;
const shortened = (raw: string) => (raw.length > shownLinkLength ? `${raw.slice(0, shownLinkLength)}…` : raw);

export function createAppLinksSlice(client: HelperClient | undefined, deps: { navigation: StoreApi<NavigationSlice> }): StoreApi<AppLinksSlice> {
  // The fetch of a linked team file in flight; a newer link or a dismissal cancels it.
  let fetching: AbortController | undefined;
  const stopFetching = () => {
    fetching?.abort();
    fetching = undefined;
  };

  const store = createStore<AppLinksSlice>()((set, get) => {
    const fetchTeamFile = async (url: string) => {
      if (!client) return;
      const controller = new AbortController();
      fetching = controller;
      set({ notice: { kind: 'fetching', url } });
      try {
        // A link can arrive with the page, before the helper is reached.
        await whenConnected(client, controller.signal);
        const fetched = await client.call('teamFile.fetch', { url }, { signal: controller.signal });
        if (fetching !== controller) return;
        set({ notice: undefined, teamFile: { name: fetched.name, parsed: parseTeamFile(fetched.text), from: fetched.url } });
      } catch (error) {
        if (fetching !== controller || controller.signal.aborted) return;
        set({ notice: { kind: 'fetch-failed', url, error: toErrorInfo(error) } });
      } finally {
        if (fetching === controller) fetching = undefined;
      }
    };

    return {
      openLink(raw) {
        stopFetching();
        const parsed = parseAppLink(raw);
        if (!parsed.ok) {
          set({ notice: { kind: 'refused', reason: parsed.reason, link: shortened(String(raw)) } });
          return;
        }
        deps.navigation.getState().show('repositories');
        if (parsed.link.action === 'clone') {
          set({ notice: undefined, cloneRequest: { id: ++requestCounter, url: parsed.link.url } });
        } else {
          void fetchTeamFile(parsed.link.url);
        }
      },
      takeCloneRequest(id) {
        if (get().cloneRequest?.id === id) set({ cloneRequest: undefined });
      },
      showTeamFile: (file) => set({ teamFile: file }),
      closeTeamFile: () => set({ teamFile: undefined }),
      async openDroppedFiles(files) {
        if (files.length === 0) return;
        if (files.length > 1) {
          set({ notice: { kind: 'not-a-team-file', name: `${files.length} files`, reason: 'drop one team file at a time' } });
          return;
        }
        const file = files[0]!;
        // Read only as far as needed to tell: a team file is a small JSON object.
        const text = file.size <= maxTeamFileBytes ? await file.text() : undefined;
        if (text === undefined || !looksLikeTeamFile(text)) {
          const reason = text === undefined ? `it is ${file.size} bytes, and a team file is a few KB` : 'it is not a team file (a small JSON file saved with "Save as team file")';
          set({ notice: { kind: 'not-a-team-file', name: file.name || 'The dropped item', reason } });
          return;
        }
        stopFetching();
        deps.navigation.getState().show('repositories');
        set({ notice: undefined, teamFile: { name: file.name, parsed: parseTeamFile(text) } });
      },
      dismissNotice() {
        stopFetching();
        set({ notice: undefined });
      },
    };
  });
  return store;
}
