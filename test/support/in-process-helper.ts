/** The helper's services in this test process, reached through the real contract (as the CLI does). */
import { createContractClient, type ContractClient } from '../../shared/contract';
import { createHelper, type Helper, type HelperOptions } from '../../electron/helper/helper';
import { connectInProcess } from '../../electron/helper/transports/in-process';
import { silentLogger } from '../../electron/helper/logger';
import { makeTempDir } from './temp-dir';

export interface InProcessHelper {
  helper: Helper;
  client: ContractClient;
  dataDir: string;
  stop(): Promise<void>;
}

/** `prepareDataDir` runs on the fresh data folder before the helper opens it. */
export async function startInProcessHelper(options: Omit<HelperOptions, 'dataDir' | 'logger'> = {}, prepareDataDir?: (dataDir: string) => Promise<void>): Promise<InProcessHelper> {
  const home = await makeTempDir('helper-data');
  await prepareDataDir?.(home.path);
  const helper = await createHelper({ ...options, dataDir: home.path, logger: silentLogger });
  const client = createContractClient();
  client.attach(connectInProcess(helper.dispatcher));
  return {
    helper,
    client,
    dataDir: home.path,
    async stop() {
      client.close();
      await helper.stop();
      await home.cleanup();
    },
  };
}
