/** Finds the helper: Electron's preload bridge when there is one, the WebSocket bridge otherwise. */
import { clientFromBridge, type HelperClient, type MirrorCloneBridge } from '../../../shared/contract';
import { connectOverWebSocket, readBridgeAddress, type BridgeAddress } from './websocket-client';

const storageKey = 'mirror-clone.helper-address';

declare global {
  interface Window {
    mirrorClone?: MirrorCloneBridge;
  }
}

export function connectToHelper(): HelperClient | undefined {
  if (window.mirrorClone) return clientFromBridge(window.mirrorClone);
  // The fragment is removed after the first load; sessionStorage keeps the address across a
  // reload of this tab only, and dies with it.
  const fromFragment = readBridgeAddress(window.location);
  if (fromFragment) sessionStorage.setItem(storageKey, JSON.stringify(fromFragment));
  const stored = sessionStorage.getItem(storageKey);
  const address = fromFragment ?? (stored ? (JSON.parse(stored) as BridgeAddress) : undefined);
  return address ? connectOverWebSocket(address) : undefined;
}
