/**
 * Later fetches and pushes authenticate through our credential helper (`mirror-clone
 * credential`, backed by the keychain), configured in the clone only for the origins the primary
 * vouches for. The first, empty `helper` entry for each origin resets helpers inherited from
 * global config for that origin, so no other helper is asked for (or stores) these credentials.
 */
import { getConfigAll, setConfig } from '../git/config';
import { httpOrigins } from '../net/http-origins';
import type { ConfigEntry } from '../git/config-entries';


export async function configureCredentialHelper(repository: string, vouchedUrls: string[], command: string, signal?: AbortSignal): Promise<void> {
  const origins = httpOrigins(vouchedUrls);
  for (const origin of origins) {
    const key = `credential.${origin}.helper`;
    const existing = await getConfigAll(repository, key, { signal });
    if (existing.includes(command)) continue;
    await setConfig(repository, key, '', { add: true, signal });
    await setConfig(repository, key, command, { add: true, signal });
  }
}

/** The same for a clone that has no helper configured yet, as config entries (git/config-entries.ts). */
export function credentialHelperEntries(vouchedUrls: string[], command: string): ConfigEntry[] {
  return httpOrigins(vouchedUrls).flatMap((origin) => [[`credential.${origin}.helper`, ''] as const, [`credential.${origin}.helper`, command] as const]);
}

/** The CA bundle entries of configureTrust, for a clone that has none yet. */
export function trustEntries(vouchedUrls: string[], bundle: string): ConfigEntry[] {
  return httpOrigins(vouchedUrls)
    .filter((origin) => origin.startsWith('https:'))
    .map((origin) => [`http.${origin}/.sslCAInfo`, bundle] as const);
}

/** Per https origin the primary vouches for, the CA bundle later plain git fetches must use. */
export async function configureTrust(repository: string, vouchedUrls: string[], bundle: string, signal?: AbortSignal): Promise<void> {
  const origins = httpOrigins(vouchedUrls).filter((origin) => origin.startsWith('https:'));
  for (const origin of origins) await setConfig(repository, `http.${origin}/.sslCAInfo`, bundle, { signal });
}
