/** `teamFile.fetch`: the team file a link names, fetched under the helper's trust settings. */
import type { Handlers } from '../rpc/dispatcher';
import { fetchTeamFile } from './fetch-team-file';

export interface TeamFileServiceDeps {
  /** The extra CA file trusted in Settings (a company's own CA signs its wiki too). */
  extraCa(): Promise<string | undefined>;
}

export function createTeamFileService(deps: TeamFileServiceDeps): Pick<Handlers, 'teamFile.fetch'> {
  return {
    'teamFile.fetch': async ({ url }, { signal }) => fetchTeamFile(url, { signal, ca: await deps.extraCa() }),
  };
}
