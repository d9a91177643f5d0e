/**
 * The helper's settings (no secrets): probe sample count, an extra trusted CA file. Kept with
 * `conf` in the data folder; unknown or broken values fall back to defaults rather than failing.
 */
import { openConfFile } from './conf-file';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ContractError } from '../../../shared/contract';
import { settingsSchema, type Settings } from '../../../shared/contract/domains/settings';
import { CaFileProblem, caFileHint, readCaFile } from '../net/ca-file';

export interface SettingsStore {
  get(): Settings;
  update(change: Partial<Settings>): Settings;
  /**
   * The extra CA certificates to trust (PEM): the Settings file, read again only when it changes,
   * plus a file given for this run only. Undefined when there are none.
   */
  extraCa(): Promise<string | undefined>;
}

export interface SettingsStoreOptions {
  /** A CA file trusted for this run only (CLI --ca-file, MIRROR_CLONE_CA_FILE); never stored. */
  runCaFile?: string;
}

export function createSettingsStore(dataDir: string, options: SettingsStoreOptions = {}): SettingsStore {
  const conf = openConfFile<Record<string, unknown>>(dataDir, 'settings');
  const get = (): Settings => {
    const parsed = settingsSchema.safeParse(conf.store);
    return parsed.success ? parsed.data : settingsSchema.parse({});
  };

  let cached: { file: string; mtimeMs: number; size: number; pem: string } | undefined;
  const settingsCa = async (): Promise<string | undefined> => {
    const file = get().extraCaFile;
    if (!file) return undefined;
    try {
      const info = await stat(file);
      if (cached?.file !== file || cached.mtimeMs !== info.mtimeMs || cached.size !== info.size) {
        cached = { file, mtimeMs: info.mtimeMs, size: info.size, pem: await readCaFile(file) };
      }
      return cached.pem;
    } catch (error) {
      const problem = error instanceof CaFileProblem ? error : new CaFileProblem('unreadable', file, 'cannot be read', { cause: error });
      throw new ContractError('TLS', `The trusted CA file chosen in Settings, ${file}, ${problem.what}.`, {
        hint: `${caFileHint(problem)} Or choose the file again in Settings, or clear the setting.`,
        // The command line has no Settings: the setting is the app's, --ca-file only adds to it.
        terminalHint: `${caFileHint(problem)} The file is the app's setting: choose it again in the app's Settings, or clear it there.`,
        cause: error,
      });
    }
  };

  // Read once: it is given for one command, and a wrong path should fail that command clearly.
  let runCa: Promise<string> | undefined;
  const runCaFile = options.runCaFile ? path.resolve(options.runCaFile) : undefined;
  const forThisRun = (): Promise<string> | undefined => {
    if (!runCaFile) return undefined;
    runCa ??= readCaFile(runCaFile).catch((error: unknown) => {
      const problem = error as CaFileProblem;
      throw new ContractError('INVALID_PARAMS', `The CA file given with --ca-file (or MIRROR_CLONE_CA_FILE), ${runCaFile}, ${problem.what}.`, { hint: caFileHint(problem), cause: error });
    });
    return runCa;
  };

  return {
    get,
    update(change) {
      const next = settingsSchema.parse({ ...get(), ...change });
      // JSON has no undefined: drop cleared settings rather than store them.
      conf.store = Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined));
      return next;
    },
    async extraCa() {
      const pems = (await Promise.all([settingsCa(), forThisRun()])).filter((pem): pem is string => Boolean(pem));
      return pems.length > 0 ? pems.join('') : undefined;
    },
  };
}
