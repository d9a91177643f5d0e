/**
 * The helper's settings (no secrets): probe sample count, an extra trusted CA file. Kept with
 * `conf` in the data folder; unknown or broken values fall back to defaults rather than failing.
 */
import Conf from 'conf';
import { readFile, stat } from 'node:fs/promises';
import { ContractError } from '../../../shared/contract';
import { settingsSchema, type Settings } from '../../../shared/contract/domains/settings';

export interface SettingsStore {
  get(): Settings;
  update(change: Partial<Settings>): Settings;
  /** The extra CA file's contents, read again only when the file changes. */
  extraCa(): Promise<Buffer | undefined>;
}

export function createSettingsStore(dataDir: string): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({ cwd: dataDir, configName: 'settings', projectName: 'mirror-clone' });
  const get = (): Settings => {
    const parsed = settingsSchema.safeParse(conf.store);
    return parsed.success ? parsed.data : settingsSchema.parse({});
  };
  let cached: { path: string; mtimeMs: number; contents: Buffer } | undefined;
  return {
    get,
    update(change) {
      const next = settingsSchema.parse({ ...get(), ...change });
      // JSON has no undefined: drop cleared settings rather than store them.
      conf.store = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined));
      return next;
    },
    async extraCa() {
      const path = get().extraCaFile;
      if (!path) return undefined;
      try {
        const info = await stat(path);
        if (cached?.path !== path || cached.mtimeMs !== info.mtimeMs) cached = { path, mtimeMs: info.mtimeMs, contents: await readFile(path) };
        return cached.contents;
      } catch (error) {
        throw new ContractError('TLS', `The trusted CA file ${path} cannot be read.`, { hint: 'Choose the file again in Settings, or clear the setting.', cause: error });
      }
    },
  };
}
