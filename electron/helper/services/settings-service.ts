/** `settings.*` methods. A new CA file is checked before it is accepted. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import type { SettingsStore } from '../store/settings-store';

export function createSettingsService(store: SettingsStore): Pick<Handlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': () => store.get(),
    'settings.update': async ({ probeSamples, extraCaFile }) => {
      let caFile = extraCaFile === null ? undefined : extraCaFile;
      if (caFile) {
        caFile = path.resolve(caFile);
        const contents = await readFile(caFile, 'utf8').catch(() => {
          throw new ContractError('NOT_FOUND', `${caFile} cannot be read.`);
        });
        if (!contents.includes('-----BEGIN CERTIFICATE-----')) {
          throw new ContractError('INVALID_PARAMS', `${caFile} is not a PEM certificate file.`, { hint: 'Choose the .pem or .crt file your IT department gives out for its certificate authority.' });
        }
      }
      const current = store.get();
      return store.update({ probeSamples: probeSamples ?? current.probeSamples, extraCaFile: extraCaFile === undefined ? current.extraCaFile : caFile });
    },
  };
}
