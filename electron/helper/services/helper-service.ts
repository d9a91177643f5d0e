/** `helper.*` methods: the helper describing itself. */
import type { Handlers } from '../rpc/dispatcher';

export interface HelperServiceDeps {
  version: string;
  dataDir: string;
  startedAt: Date;
  isStopping(): boolean;
}

export function createHelperService(deps: HelperServiceDeps): Pick<Handlers, 'helper.info'> {
  return {
    'helper.info': (_params, context) => ({
      name: 'mirror-clone',
      version: deps.version,
      pid: process.pid,
      dataDir: deps.dataDir,
      startedAt: deps.startedAt.toISOString(),
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.versions.node,
      transport: context.transport,
      state: deps.isStopping() ? 'stopping' : 'ready',
    }),
  };
}
