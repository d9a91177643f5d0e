/**
 * The fallback clone engine: HTTP(S) clones with isomorphic-git, in process, for machines without
 * a git binary (engine.ts decides). Same options as cloneRepository minus what only native git
 * has (bare, mirror, reference, dissociate); SSH is refused, isomorphic-git cannot speak it. It
 * holds the whole pack in memory (DESIGN.md measured ~6x the pack size), so it is a fallback only.
 *
 * Credentials: `credentials` (a token becomes a Bearer header; a password is given through onAuth,
 * only after the server asks with a 401), or the same `http.<url>.extraHeader` entries the native
 * engine gets through configEnv() in `env`, applied when their URL matches. Redirects are not
 * followed, so a header cannot travel to another host.
 *
 * Progress, in the same GitProgress shape as native git: the server's counting/compressing lines
 * and the pack's bytes are read from the response as it streams in (iso-http.ts), in order. Only
 * after the whole pack has arrived does isomorphic-git index it ("Receiving objects", shown as
 * "Indexing objects"), resolve deltas and check out. The pack size is not known in advance, so
 * during the download the receiving phase shows bytes and rate but its value moves only while
 * indexing.
 *
 * Cancelling: isomorphic-git takes no AbortSignal. We (1) end every HTTP request with our signal
 * and make the response body throw as soon as it fires, which stops the download; (2) throw from
 * onProgress once the signal fired, which stops indexing and checkout, the steps that await
 * onProgress. We never throw for the server's own progress lines: isomorphic-git forwards those
 * without awaiting, so a throw there would be an unhandled rejection. We reject only after
 * isomorphic-git's promise has settled, so it no longer writes into the directory.
 */
import fs from 'node:fs';
import { clone, type HttpClient } from 'isomorphic-git';
import nodeHttp from 'isomorphic-git/http/node';
import { requireAbsolutePath, requirePositiveInteger, requireRefName, requireSafeUrl, invalid } from './arguments';
import { assertEmptyOrMissing } from './clone';
import { configEntriesOf } from './environment';
import { GitError, redactSecrets, type GitErrorKind } from './errors';
import { abortError, watchedHttp } from './iso-http';
import { GitProgressParser, type GitProgress } from './progress';

export type IsoCredentials = { kind: 'token'; token: string } | { kind: 'password'; username: string; password: string };

export interface IsoCloneOptions {
  url: string;
  directory: string;
  signal?: AbortSignal;
  /** Read for `http.<url>.extraHeader` entries (configEnv); nothing else applies in process. */
  env?: Record<string, string>;
  depth?: number;
  branch?: string;
  noCheckout?: boolean;
  onProgress?(progress: GitProgress): void;
  /** The size the transfer is expected to reach (the server's estimate), for progress and time left. */
  expectedBytes?: number | null | Promise<number | null>;
  credentials?: IsoCredentials;
  /** isomorphic-git http client; default its Node client. */
  http?: HttpClient;
  /** Milliseconds, for the transfer rate; default performance.now. */
  now?: () => number;
}

export interface IsoCloneOutcome {
  engine: 'isomorphic-git';
  directory: string;
}

/** Headers from `http.<url>.extraHeader` config entries whose URL is a prefix of `url` (as git matches them). */
export function extraHeadersFor(env: Record<string, string> | undefined, url: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of configEntriesOf(env ?? {})) {
    const match = /^http\.(?:(.+)\.)?extraheader$/is.exec(key);
    if (!match) continue;
    const scope = match[1];
    if (scope !== undefined && !url.startsWith(scope.endsWith('/') ? scope : `${scope}/`) && url !== scope) continue;
    if (value === '') {
      for (const name of Object.keys(headers)) delete headers[name]; // an empty value resets, as in git
      continue;
    }
    const colon = value.indexOf(':');
    if (colon > 0) headers[value.slice(0, colon).trim()] = value.slice(colon + 1).trim();
  }
  return headers;
}

const units = ['bytes', 'KiB', 'MiB', 'GiB'];
function human(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(2)} ${units[unit]}`;
}

// isomorphic-git's own (local, awaited) phases -> git's progress titles, which progress.ts places
// in phases, and the words we show. Its echo of the server's lines is ignored: iso-http.ts reads
// those from the stream in order. 'Receiving objects' is isomorphic-git indexing the downloaded pack.
const localPhases: Record<string, { title: string; shown: string }> = {
  'Receiving objects': { title: 'Receiving objects', shown: 'Indexing objects' },
  'Resolving deltas': { title: 'Resolving deltas', shown: 'Resolving deltas' },
  'Analyzing workdir': { title: 'Updating files', shown: 'Analyzing files' },
  'Updating workdir': { title: 'Updating files', shown: 'Updating files' },
};

function failureKind(error: unknown): GitErrorKind {
  const e = error as { code?: string; data?: { statusCode?: number }; message?: string };
  if (e.code === 'HttpError') {
    const status = e.data?.statusCode ?? 0;
    if (status === 401 || status === 403) return 'auth-failed';
    if (status === 404) return 'repository-not-found';
    return 'network';
  }
  if (e.code === 'UserCanceledError') return 'auth-failed';
  if (e.code === 'SmartHttpError' || e.code === 'NotFoundError') return 'repository-not-found';
  if (e.code === 'ECONNREFUSED') return 'connection-refused';
  if (e.code && /^(E[A-Z]+|UND_ERR|ERR_STREAM)/.test(e.code)) return 'network';
  if (/aborted|socket hang up|premature close|unexpected end/i.test(e.message ?? '')) return 'network';
  return 'unknown';
}

export async function isoCloneRepository(options: IsoCloneOptions): Promise<IsoCloneOutcome> {
  if (typeof options !== 'object' || options === null) throw invalid('isoCloneRepository needs an options object');
  const checked = requireSafeUrl(options.url);
  if (checked.protocol !== 'http') throw new GitError('protocol-not-allowed', 'Without a git binary, repositories can only be cloned over https or http.');
  const directory = requireAbsolutePath('directory', options.directory);
  const depth = options.depth === undefined ? undefined : requirePositiveInteger('depth', options.depth);
  const ref = options.branch === undefined ? undefined : requireRefName('branch', options.branch);
  await assertEmptyOrMissing(directory);
  const external = options.signal;
  if (external?.aborted) throw new GitError('cancelled', 'isomorphic-git clone failed: it was cancelled', { command: 'clone' });

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  external?.addEventListener('abort', onAbort, { once: true });
  const parser = new GitProgressParser({ now: options.now, expectedBytes: options.expectedBytes });
  const emit = (progress: GitProgress) => {
    try {
      options.onProgress?.(progress);
    } catch {
      // A listener's bug must not break the clone (and could not be reported from every call site).
    }
  };
  let received = 0;
  let downloaded = false;
  let serverError = '';
  const http = watchedHttp(options.http ?? nodeHttp, stop.signal, {
    onPackBytes: (n) => {
      received += n;
      emit(parser.apply({ title: 'Receiving objects', remote: false, bytes: received, finished: false }, `Receiving pack: ${human(received)}`));
    },
    onRemoteText: (text) => parser.push(text).forEach(emit),
    onRemoteError: (text) => (serverError += text),
    onEnd: () => (downloaded = true),
  });

  const credentials = options.credentials;
  const headers = extraHeadersFor(options.env, checked.url);
  if (credentials?.kind === 'token') headers.Authorization = `Bearer ${credentials.token}`;
  const secrets = [...Object.values(headers), ...(credentials?.kind === 'password' ? [credentials.password] : [])];
  const work = clone({
    fs,
    http,
    dir: directory,
    url: checked.url,
    ref,
    depth,
    noCheckout: options.noCheckout,
    cache: {},
    headers: { ...headers }, // isomorphic-git adds its own headers to the object it is given
    onAuth: credentials?.kind === 'password' ? () => ({ username: credentials.username, password: credentials.password }) : undefined,
    onProgress: async (event) => {
      const local = localPhases[event.phase];
      if (!local) return; // the server's lines, echoed without being awaited: never throw there
      if (stop.signal.aborted && downloaded) throw abortError();
      const total = event.total || undefined;
      const finished = total !== undefined && event.loaded >= total;
      const counts = total ? `${Math.floor((100 * event.loaded) / total)}% (${event.loaded}/${total})` : String(event.loaded);
      emit(parser.apply({ title: local.title, remote: false, done: total ? event.loaded : undefined, total, finished }, `${local.shown}: ${counts}`));
    },
  });
  try {
    await work;
  } catch (error) {
    if (stop.signal.aborted) throw new GitError('cancelled', 'isomorphic-git clone failed: it was cancelled', { command: 'clone', cause: error });
    const kind = failureKind(error);
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    const detail = redactSecrets(serverError.trim() || message, secrets);
    throw new GitError(kind, `isomorphic-git clone failed (${detail})`, { command: 'clone', stderrTail: detail, cause: error });
  } finally {
    external?.removeEventListener('abort', onAbort);
  }
  if (stop.signal.aborted) throw new GitError('cancelled', 'isomorphic-git clone failed: it was cancelled', { command: 'clone' });
  emit(parser.finish());
  return { engine: 'isomorphic-git', directory };
}
