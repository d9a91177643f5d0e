/**
 * Starts the mirror-sync helper as an Electron utility process, restarts it with backoff when it
 * dies, and hands every window a fresh MessagePort to it after each (re)start.
 */
import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron';
import { backoffDelay } from '../../shared/backoff';

export const portChannel = 'mirror-clone:helper-port';
const restartPolicy = { baseMs: 250, maxMs: 30_000, jitter: 0.3 };
/** A helper that stayed up this long is considered healthy again: the backoff starts over. */
const stableAfterMs = 60_000;

export interface HelperSupervisor {
  connect(contents: WebContents): void;
  stop(): void;
}

export function superviseHelper(helperEntry: string): HelperSupervisor {
  const clients = new Set<WebContents>();
  let child: UtilityProcess | undefined;
  let failures = 0;
  let startedAt = 0;
  let stopped = false;

  const handPort = (contents: WebContents) => {
    if (!child || contents.isDestroyed()) return;
    const { port1, port2 } = new MessageChannelMain();
    child.postMessage({ type: 'connect' }, [port1]);
    contents.postMessage(portChannel, null, [port2]);
  };

  const start = () => {
    startedAt = Date.now();
    child = utilityProcess.fork(helperEntry, [], { serviceName: 'mirror-sync helper', stdio: 'inherit' });
    child.on('spawn', () => {
      for (const contents of clients) handPort(contents);
    });
    child.on('exit', () => {
      child = undefined;
      if (stopped) return;
      failures = Date.now() - startedAt > stableAfterMs ? 0 : failures + 1;
      setTimeout(start, backoffDelay(failures, restartPolicy));
    });
  };
  start();

  return {
    connect(contents) {
      clients.add(contents);
      contents.once('destroyed', () => clients.delete(contents));
      handPort(contents);
    },
    stop() {
      stopped = true;
      child?.kill();
    },
  };
}
