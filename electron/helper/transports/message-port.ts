/**
 * The desktop transport. Electron main forks the helper with utilityProcess and hands it one end
 * of a MessageChannelMain per renderer; the other end goes to the preload. These are the few
 * shapes of Electron's objects we rely on, so the helper never imports 'electron'.
 */
import type { Dispatcher, HelperSideWire } from '../rpc/dispatcher';

export interface PortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): void;
}

export function wireFromPort(port: PortLike): HelperSideWire {
  const messageListeners = new Set<(message: unknown) => void>();
  const closeListeners = new Set<() => void>();
  let closed = false;
  const markClosed = () => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener();
  };
  port.on('message', (event) => {
    for (const listener of messageListeners) listener(event.data);
  });
  port.on('close', markClosed);
  port.start();
  return {
    send: (message) => port.postMessage(message),
    onMessage(listener) {
      messageListeners.add(listener);
      return () => messageListeners.delete(listener);
    },
    onClose(listener) {
      closeListeners.add(listener);
      return () => closeListeners.delete(listener);
    },
    close() {
      port.close();
      markClosed();
    },
  };
}

/** Every `{ type: 'connect' }` message from main carries a port for one more client. */
export function serveParentPort(parentPort: ParentPortLike, dispatcher: Dispatcher): void {
  parentPort.on('message', (event) => {
    const data = event.data as { type?: unknown } | undefined;
    if (data?.type !== 'connect') return;
    for (const port of event.ports) dispatcher.connect(wireFromPort(port), 'message-port');
  });
}
