/** `clone.*` and `clones.*` methods. */
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import type { ClonesStore } from '../store/clones-store';
import type { CloneJobs } from './jobs';
import { switchClone, type SwitchDeps } from './switch-clone';
import { trustHostKey } from '../ssh/host-keys';
import { openClone } from './open-clone';
import { checkDestination, createFolder } from './destination';

export function createCloneService(deps: { jobs: CloneJobs; clones: ClonesStore; switching: SwitchDeps; knownHostsFile: string }): Pick<Handlers, 'clone.start' | 'clone.checkDestination' | 'clone.createFolder' | 'clone.cancel' | 'clone.jobs' | 'clones.list' | 'clones.switch' | 'clones.setWarm' | 'clones.open' | 'sshHosts.trust'> {
  return {
    'clone.start': (params) => ({ jobId: deps.jobs.start(params) }),
    'clone.checkDestination': ({ parentDirectory, name, repository }) =>
      checkDestination(parentDirectory, name || repository?.slug || '', {
        isSameRepository: (destination) => {
          const known = deps.clones.get(destination);
          return Boolean(known && repository && known.primaryBaseUrl === repository.primaryBaseUrl && known.projectKey.toUpperCase() === repository.projectKey.toUpperCase() && known.slug === repository.slug);
        },
      }),
    'clone.createFolder': async ({ path }) => ({ path: await createFolder(path) }),
    'clone.cancel': ({ jobId }) => ({ cancelled: deps.jobs.cancel(jobId) }),
    'clone.jobs': () => deps.jobs.list(),
    'clones.list': () => deps.clones.list(),
    'clones.switch': (params, { signal }) => switchClone(params, deps.switching, signal),
    'clones.setWarm': ({ path, warm }) => {
      const clone = deps.clones.get(path);
      if (!clone) throw new ContractError('NOT_FOUND', `${path} is not a clone this helper knows.`, { hint: 'Clones made (or switched) by mirror-clone are listed in Local clones.' });
      const updated = { ...clone, warm };
      deps.clones.put(updated);
      return updated;
    },
    'clones.open': (params) => openClone(params, { clones: deps.clones }),
    'sshHosts.trust': async (params, { signal }) => ({ ...(await trustHostKey({ ...params, knownHostsFile: deps.knownHostsFile, signal })), knownHostsFile: deps.knownHostsFile }),
  };
}
