/**
 * The CLI's transport: client and dispatcher in one process. Messages are structured-cloned and
 * delivered asynchronously, exactly as over a port, so code that works here works over the others.
 */
import type { ClientMessage, ClientWire, HelperMessage } from '../../../shared/contract';
import type { Dispatcher, HelperSideWire } from '../rpc/dispatcher';

export function connectInProcess(dispatcher: Dispatcher): ClientWire {
  const toHelper = new Set<(message: unknown) => void>();
  const toClient = new Set<(message: unknown) => void>();
  const closeListeners = new Set<() => void>();
  let closed = false;

  const deliver = (listeners: Set<(message: unknown) => void>, message: unknown) => {
    if (closed) return;
    const copy = structuredClone(message);
    queueMicrotask(() => {
      for (const listener of listeners) listener(copy);
    });
  };
  const close = () => {
    if (closed) return;
    closed = true;
    for (const listener of closeListeners) listener();
  };
  const subscribe = <T>(set: Set<T>, listener: T) => {
    set.add(listener);
    return () => set.delete(listener);
  };

  const helperSide: HelperSideWire = {
    send: (message: HelperMessage) => deliver(toClient, message),
    onMessage: (listener) => subscribe(toHelper, listener),
    onClose: (listener) => subscribe(closeListeners, listener),
    close,
  };
  dispatcher.connect(helperSide, 'in-process');

  return {
    send: (message: ClientMessage) => deliver(toHelper, message),
    onMessage: (listener) => subscribe(toClient, listener),
    onClose: (listener) => subscribe(closeListeners, listener),
    close,
  };
}
