/**
 * The environment git-lfs runs in: the transfer environment (credentials for the origins the
 * primary vouches for) without what keeps git-lfs out of a clone's checkout (transfer-env.ts),
 * plus one-off settings such as the endpoint to ask.
 */
import { configEntriesOf, configEnv } from '../git/environment';
import { lfsEndpoint } from './endpoints';

/**
 * git-lfs retries a failing object 8 times with back-off up to 10 s by default: minutes before a
 * server that lacks an object gives way to the next source. A few quick retries keep a brief
 * hiccup from costing a source; a second run per source covers a longer break.
 */
const RETRIES: [string, string][] = [
  ['lfs.transfer.maxretries', '3'],
  ['lfs.transfer.maxretrydelay', '2'],
];

/** With the filters `git lfs install --local` configures (its filter process, not one git-lfs per file). */
export function phaseEnvironment(transferEnv: Record<string, string>, extra: [string, string][] = []): Record<string, string> {
  const { GIT_LFS_SKIP_SMUDGE: _skip, ...rest } = transferEnv;
  const entries = configEntriesOf(transferEnv).filter(([key]) => !key.toLowerCase().startsWith('filter.lfs.'));
  for (const key of Object.keys(rest)) if (/^GIT_CONFIG_(COUNT|KEY_\d+|VALUE_\d+)$/.test(key)) delete rest[key];
  return { ...rest, ...configEnv([...entries, ...extra]) };
}

/** For one `git lfs fetch` against one server: its LFS endpoint (over the clone's remote) and quick retries. */
export function sourceEnvironment(transferEnv: Record<string, string>, sourceUrl: string): Record<string, string> {
  return phaseEnvironment(transferEnv, [['lfs.url', lfsEndpoint(sourceUrl)], ...RETRIES]);
}
