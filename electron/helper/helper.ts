/**
 * Builds the helper: its services, wired with their dependencies, behind one dispatcher.
 * Transports (MessagePort, WebSocket, in-process) attach connections to the dispatcher; the
 * services never know which transport carries a request.
 */
import { createDispatcher, type Dispatcher } from './rpc/dispatcher';
import { createHelperService } from './services/helper-service';
import { ensureDataDir, resolveDataDir } from './home';
import { createLogger, type Logger } from './logger';
import { productVersion } from './version';

export interface Helper {
  readonly dispatcher: Dispatcher;
  readonly dataDir: string;
  readonly logger: Logger;
  stop(): Promise<void>;
}

export interface HelperOptions {
  dataDir?: string;
  logger?: Logger;
}

export async function createHelper(options: HelperOptions = {}): Promise<Helper> {
  const dataDir = await ensureDataDir(options.dataDir ?? resolveDataDir());
  const logger = options.logger ?? createLogger((line) => process.stderr.write(line));
  const startedAt = new Date();
  let stopping = false;

  const handlers = {
    ...createHelperService({ version: productVersion, dataDir, startedAt, isStopping: () => stopping }),
  };
  const dispatcher = createDispatcher(handlers, logger);

  return {
    dispatcher,
    dataDir,
    logger,
    async stop() {
      if (stopping) return;
      stopping = true;
      dispatcher.broadcast('helper.state', { state: 'stopping' });
      dispatcher.closeAll();
    },
  };
}
