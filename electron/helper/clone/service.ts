/** `clone.*` and `clones.*` methods. */
import { ContractError } from '../../../shared/contract';
import type { Handlers } from '../rpc/dispatcher';
import type { ClonesStore } from '../store/clones-store';
import type { CloneJobs } from './jobs';
import { switchClone, type SwitchDeps } from './switch-clone';
import { trustHostKey } from '../ssh/host-keys';
import { openClone } from './open-clone';
import type { ActivityLog } from '../activity/log';
import { checkDestination, createFolder } from './destination';
import { historyPendingAt } from './steps/resume-marker';
import { sameRepository } from './identity';

export interface CloneServiceDeps {
  jobs: CloneJobs;
  clones: ClonesStore;
  switching: SwitchDeps;
  knownHostsFile: string;
  /** Where switches the user asked for are recorded. */
  activity?: Pick<ActivityLog, 'switched' | 'switchFailed'>;
  /** The editor setting, read per open. */
  editor?(): string | undefined;
}

type CloneHandlers = 'clone.start' | 'clone.checkDestination' | 'clone.createFolder' | 'clone.cancel' | 'clone.retry' | 'clone.dismiss' | 'clone.jobs' | 'clones.list' | 'clones.switch' | 'clones.setWarm' | 'clones.open' | 'sshHosts.trust';

export function createCloneService(deps: CloneServiceDeps): Pick<Handlers, CloneHandlers> {
  return {
    'clone.start': (params) => ({ jobId: deps.jobs.start(params) }),
    'clone.checkDestination': ({ parentDirectory, name, repository }) =>
      checkDestination(parentDirectory, name || repository?.slug || '', {
        isSameRepository: (destination) => {
          const known = deps.clones.get(destination);
          return Boolean(known && repository && sameRepository(known, repository));
        },
        isHistoryPending: historyPendingAt,
      }),
    'clone.createFolder': async ({ path }) => ({ path: await createFolder(path) }),
    'clone.cancel': ({ jobId }) => ({ cancelled: deps.jobs.cancel(jobId) }),
    'clone.retry': async ({ jobId }) => ({ jobId: await deps.jobs.retry(jobId) }),
    'clone.dismiss': ({ jobIds }) => ({ dismissed: deps.jobs.dismiss(jobIds) }),
    'clone.jobs': () => deps.jobs.list(),
    'clones.list': () => deps.clones.list(),
    'clones.switch': async (params, { signal }) => {
      const known = deps.clones.get(params.path);
      const named = known ? { repository: `${known.projectKey}/${known.slug}`, primaryBaseUrl: known.primaryBaseUrl } : {};
      try {
        const result = await switchClone(params, deps.switching, signal);
        deps.activity?.switched(result, named);
        return result;
      } catch (error) {
        deps.activity?.switchFailed(params.path, error, named);
        throw error;
      }
    },
    'clones.setWarm': ({ path, warm }) => {
      const clone = deps.clones.get(path);
      if (!clone) throw new ContractError('NOT_FOUND', `${path} is not a clone this helper knows.`, { hint: 'Clones made (or switched) by mirror-clone are listed in Local clones.', terminalHint: 'Name a folder cloned with mirror-clone clone; mirror-clone switch --all FOLDER finds them.' });
      const updated = { ...clone, warm };
      deps.clones.put(updated);
      return updated;
    },
    'clones.open': (params) => openClone(params, { clones: deps.clones, editor: deps.editor }),
    'sshHosts.trust': async (params, { signal }) => ({ ...(await trustHostKey({ ...params, knownHostsFile: deps.knownHostsFile, signal })), knownHostsFile: deps.knownHostsFile }),
  };
}
