/** A Node-side contract client over the helper's WebSocket bridge, as the browser page makes one. */
import WebSocket from 'ws';
import { createContractClient, type ClientWire, type ContractClient } from '../../shared/contract';

export function openBridgeSocket(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ['mirror-clone.v1', `token.${token}`]);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

export function wireFromSocket(socket: WebSocket): ClientWire {
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    onMessage(listener) {
      const handler = (data: WebSocket.RawData) => listener(JSON.parse(data.toString()));
      socket.on('message', handler);
      return () => socket.off('message', handler);
    },
    onClose(listener) {
      socket.on('close', listener);
      return () => socket.off('close', listener);
    },
    close: () => socket.close(),
  };
}

export async function connectClient(url: string, token: string): Promise<{ client: ContractClient; socket: WebSocket }> {
  const socket = await openBridgeSocket(url, token);
  const client = createContractClient();
  client.attach(wireFromSocket(socket));
  return { client, socket };
}

/** Sends a raw frame and waits for the next message the helper sends back. */
export function sendRaw(socket: WebSocket, frame: string | Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString())));
    socket.send(frame);
  });
}
