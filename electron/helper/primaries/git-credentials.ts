/**
 * Answers git's credential requests for the servers a primary vouches for: the primary itself,
 * the mirrors it advertised, and a mirror the user added for it only once they allowed it by
 * name (token-scope.ts). Any other host gets nothing, so a token is never handed to a server
 * neither the primary nor the user named.
 */
import type { PrimariesStore } from '../store/primaries-store';
import type { CredentialSource } from './credentials';
import { primaryVouchingFor } from './token-scope';


export interface GitCredentialRequest {
  protocol?: string;
  host?: string;
}

export interface GitCredential {
  username: string;
  password: string;
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
