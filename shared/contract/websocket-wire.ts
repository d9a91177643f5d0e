/**
 * A client Wire over a WebSocket, for the browser page (DOM WebSocket) and for Node tests (the
 * `ws` package): both offer this event-listener shape. Frames are JSON text.
 */
import type { ClientWire } from './wire';

export interface WebSocketLike {
  send(data: string): void;
  close(): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  removeEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  removeEventListener(type: 'close', listener: () => void): void;
}

export function wireFromWebSocket(socket: WebSocketLike): ClientWire {
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    onMessage(listener) {
      const handler = (event: { data: unknown }) => {
        if (typeof event.data !== 'string') return;
        try {
          listener(JSON.parse(event.data));
        } catch {
          // not JSON: the client's schema check would drop it anyway
        }
      };
      socket.addEventListener('message', handler);
      return () => socket.removeEventListener('message', handler);
    },
    onClose(listener) {
      socket.addEventListener('close', listener);
      return () => socket.removeEventListener('close', listener);
    },
    close: () => socket.close(),
  };
}
