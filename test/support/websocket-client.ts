/** A Node-side contract client over the helper's WebSocket bridge, as the browser page makes one. */
import WebSocket from 'ws';
import { createContractClient, wireFromWebSocket, type ContractClient } from '../../shared/contract';

export function openBridgeSocket(url: string, token: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ['mirror-clone.v1', `token.${token}`]);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    socket.once('error', reject);
  });
}

export async function connectClient(url: string, token: string): Promise<{ client: ContractClient; socket: WebSocket }> {
  const socket = await openBridgeSocket(url, token);
  const client = createContractClient();
  client.attach(wireFromWebSocket(socket));
  return { client, socket };
}

/** Sends a raw frame and waits for the next message the helper sends back. */
export function sendRaw(socket: WebSocket, frame: string | Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(JSON.parse(data.toString())));
    socket.send(frame);
  });
}
