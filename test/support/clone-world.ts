/**
 * The world most clone tests need: an emulated Bitbucket, an empty workspace to clone into, and a
 * helper in this process signed in with the topology's token (from the environment, as on CI).
 */
import type { HelperOptions } from '../../electron/helper/helper';
import { startTopology, type Topology, type TopologyDescription } from '../fixtures/bitbucket/topology';
import { startInProcessHelper, type InProcessHelper } from './in-process-helper';
import { makeTempDir } from './temp-dir';

export interface CloneWorld {
  topology: Topology;
  helper: InProcessHelper;
  /** An empty folder to clone into. */
  workspace: string;
  stop(): Promise<void>;
}

export interface CloneWorldHelper {
  /** Besides the topology's token, which is always given. */
  options?: Omit<HelperOptions, 'dataDir' | 'logger'>;
  /** Runs on the helper's fresh data folder before it opens it. */
  prepareDataDir?(dataDir: string): Promise<void>;
}

export async function startCloneWorld(description: TopologyDescription, options: { name: string; helper?(topology: Topology): CloneWorldHelper }): Promise<CloneWorld> {
  const [topology, workspace] = await Promise.all([startTopology(description), makeTempDir(options.name)]);
  const setup = options.helper?.(topology) ?? {};
  const helper = await startInProcessHelper({ environmentToken: topology.credentials.token, ...setup.options }, setup.prepareDataDir);
  return {
    topology,
    helper,
    workspace: workspace.path,
    async stop() {
      await helper.stop();
      await topology.stop();
      await workspace.cleanup();
    },
  };
}

/** One network throughout: the machine's own interfaces and gateway may change under a busy test run. */
export const oneNetwork = { networkIdentity: async () => ({ id: 'office', prefixCount: 1 }) };
