/**
 * Who may read the local mirrors: whoever presents this installation's secret (serve-secret.ts).
 * Git presents it when our credential helper answers for the server's origin. The helper answers
 * only for `http://127.0.0.1:PORT` where PORT is a local mirror server of this installation that
 * is running now (recorded here by the server): never for `localhost` (which may resolve to ::1,
 * where another user could listen on the same port), never for a port a stopped server left
 * behind and someone else may have taken since.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createListStore, type ListStore } from '../store/list-store';
import type { SecretStore } from '../store/secret-store';
import type { GitCredential, GitCredentialRequest } from '../primaries/git-credentials';
import { shellQuote } from '../transfer/credential-helper-command';
import { readServeSecret } from './serve-secret';

/** The user name git sends with the secret; only the secret is checked. */
export const serveUsername = 'mirror-clone';

const runningServerSchema = z.object({
  port: z.number().int().min(1).max(65535),
  pid: z.number().int().positive(),
  keptIn: z.enum(['keychain', 'file']),
});
export type RunningServer = z.infer<typeof runningServerSchema>;

const recordName = 'local-mirror-servers';

export function createRunningServers(dataDir: string): ListStore<RunningServer> {
  return createListStore({ dataDir, name: recordName, schema: runningServerSchema, keyOf: (server) => String(server.port) });
}

/** Whether a process of this user with that id exists (a server that died leaves its record behind). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    // ESRCH: gone. EPERM: another user's process now holds that id, so not our server.
    return false;
  }
}

/** What our credential helper (`mirror-clone credential get`) answers for a local mirror server. */
export async function localMirrorCredential(request: GitCredentialRequest, deps: { dataDir: string; secrets: SecretStore }): Promise<GitCredential | undefined> {
  if (request.protocol !== 'http' || !request.host) return undefined;
  const port = /^127\.0\.0\.1:(\d{1,5})$/.exec(request.host)?.[1];
  // No server ever ran here: nothing to answer, and nothing to create in the data folder.
  if (!port || !existsSync(path.join(deps.dataDir, `${recordName}.json`))) return undefined;
  const server = createRunningServers(deps.dataDir)
    .list()
    .find((candidate) => candidate.port === Number(port) && isRunning(candidate.pid));
  if (!server) return undefined;
  const password = await readServeSecret(deps, server.keptIn);
  return password ? { username: serveUsername, password } : undefined;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/** Whether an Authorization header carries the secret (HTTP Basic, any user name). */
export function presentsSecret(authorization: string | undefined, secret: string): boolean {
  const encoded = /^Basic ([A-Za-z0-9+/]{1,4096}={0,2})$/i.exec(authorization ?? '')?.[1];
  if (!encoded) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Digests have the same length whatever was sent, so the comparison takes the same time.
  return timingSafeEqual(digest(decoded.slice(colon + 1)), digest(secret));
}

/**
 * The credential helper git should run for the server: ours, told which data folder the server
 * keeps its record in (the data folder may not be the default one).
 */
export function serveCredentialHelper(command: string, dataDir: string): string {
  return command.startsWith('!') ? `!MIRROR_CLONE_HOME=${shellQuote(dataDir)} ${command.slice(1)}` : command;
}

/**
 * The git options that make git ask only our helper for this origin: the empty value first
 * resets helpers from the user's own config, so no other helper is asked for, or stores, the secret.
 */
export function serveCredentialConfig(port: number, helper: string): Array<[string, string]> {
  const key = `credential.http://127.0.0.1:${port}.helper`;
  return [
    [key, ''],
    [key, helper],
  ];
}
