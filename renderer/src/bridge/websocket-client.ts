/**
 * In a plain browser (tests, development, the demo without Electron) the page reaches a helper
 * over its WebSocket bridge. The address and token come from the page's fragment
 * (`#token=...&helper=ws://127.0.0.1:PORT/`), which the browser never sends to any server.
 * The connection is re-made with backoff whenever it drops, e.g. when the helper restarts.
 */
import { createContractClient, wireFromWebSocket, type ContractClient } from '../../../shared/contract';
import { backoffDelay } from '../../../shared/backoff';

const bridgeProtocol = 'mirror-clone.v1';
const reconnectPolicy = { baseMs: 200, maxMs: 5_000, jitter: 0.3 };

export interface BridgeAddress {
  url: string;
  token: string;
}

export function readBridgeAddress(location: Location): BridgeAddress | undefined {
  const fragment = new URLSearchParams(location.hash.replace(/^#/, ''));
  const token = fragment.get('token');
  if (!token) return undefined;
  const fallback = location.protocol === 'http:' ? `ws://${location.host}/` : undefined;
  const url = fragment.get('helper') ?? fallback;
  return url ? { url, token } : undefined;
}

export function connectOverWebSocket(address: BridgeAddress): ContractClient {
  const client = createContractClient();
  let failures = 0;

  const open = () => {
    client.markConnecting();
    const socket = new WebSocket(address.url, [bridgeProtocol, `token.${address.token}`]);
    socket.addEventListener('open', () => {
      failures = 0;
      client.attach(wireFromWebSocket(socket));
    });
    socket.addEventListener('close', () => {
      failures += 1;
      window.setTimeout(open, backoffDelay(failures, reconnectPolicy));
    });
  };
  open();
  return client;
}
