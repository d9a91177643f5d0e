/**
 * Later fetches and pushes authenticate through our credential helper (`mirror-clone
 * credential`, backed by the keychain), configured in the clone only for the origins the primary
 * vouches for. The first, empty `helper` entry for each origin resets helpers inherited from
 * global config for that origin, so no other helper is asked for (or stores) these credentials.
 */
import { getConfigAll, setConfig } from '../git/config';
import { httpOrigins } from '../net/http-origins';
import type { ConfigEntry } from '../git/config-entries';


/** The two entries for one origin: the reset, then our helper. */
const helperEntries = (origin: string, command: string): ConfigEntry[] => [
  [`credential.${origin}.helper`, ''],
  [`credential.${origin}.helper`, command],
];

/** For a clone already in use (a switch, an SSH clone's large files): origins already set up are left as they are. */
export async function configureCredentialHelper(repository: string, vouchedUrls: string[], command: string, signal?: AbortSignal): Promise<void> {
  for (const origin of httpOrigins(vouchedUrls)) {
    const existing = await getConfigAll(repository, `credential.${origin}.helper`, { signal });
    if (existing.includes(command)) continue;
    for (const [key, value] of helperEntries(origin, command)) await setConfig(repository, key, value, { add: true, signal });
  }
}

/** The same for a new clone, which has no helper configured yet, as config entries (git/config-entries.ts). */
export function credentialHelperEntries(vouchedUrls: string[], command: string): ConfigEntry[] {
  return httpOrigins(vouchedUrls).flatMap((origin) => helperEntries(origin, command));
}

/** Per https origin the primary vouches for, the CA bundle later plain git fetches must use (a new clone's entries). */
export function trustEntries(vouchedUrls: string[], bundle: string): ConfigEntry[] {
  return httpOrigins(vouchedUrls)
    .filter((origin) => origin.startsWith('https:'))
    .map((origin) => [`http.${origin}/.sslCAInfo`, bundle] as const);
}
