/**
 * Answers git's credential requests for the servers a primary vouches for: the primary itself,
 * the mirrors it advertised, and the mirrors the user added for it. Any other host gets nothing,
 * so a token can never be handed to a server the primary did not name.
 */
import type { PrimariesStore, StoredPrimary } from '../store/primaries-store';
import { httpOrigin } from '../net/http-origins';
import type { CredentialSource } from './credentials';

export interface GitCredentialRequest {
  protocol?: string;
  host?: string;
}

export interface GitCredential {
  username: string;
  password: string;
}


export function primaryVouchingFor(origin: string, primaries: StoredPrimary[]): StoredPrimary | undefined {
  return primaries.find((primary) => [primary.baseUrl, ...primary.knownMirrors.map((mirror) => mirror.baseUrl), ...primary.manualMirrors.map((mirror) => mirror.baseUrl)].some((baseUrl) => httpOrigin(baseUrl) === origin));
}

export async function credentialForGit(request: GitCredentialRequest, deps: { primaries: PrimariesStore; credentials: CredentialSource }): Promise<GitCredential | undefined> {
  if ((request.protocol !== 'https' && request.protocol !== 'http') || !request.host) return undefined;
  const primary = primaryVouchingFor(`${request.protocol}://${request.host}`, deps.primaries.list());
  if (!primary) return undefined;
  const credentials = await deps.credentials.forPrimary(primary.baseUrl);
  if (!credentials) return undefined;
  if (credentials.kind === 'password') return { username: credentials.username, password: credentials.password };
  // An HTTP access token goes to git as the password of the user it belongs to.
  return primary.username ? { username: primary.username, password: credentials.token } : undefined;
}

/** git's credential protocol: `key=value` lines up to a blank line. */
export function parseCredentialRequest(input: string): GitCredentialRequest {
  const fields: Record<string, string> = {};
  for (const line of input.split('\n')) {
    if (line === '') break;
    const equals = line.indexOf('=');
    if (equals > 0) fields[line.slice(0, equals)] = line.slice(equals + 1);
  }
  return { protocol: fields.protocol, host: fields.host };
}

export function formatCredential(credential: GitCredential): string {
  // A newline inside a value would let it inject further fields; such values are not answered.
  if (/[\n\r\0]/.test(credential.username + credential.password)) return '';
  return `username=${credential.username}\npassword=${credential.password}\n`;
}
