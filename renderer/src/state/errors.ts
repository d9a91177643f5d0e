/** What a component shows for a failed call: the contract's code, message and hint. */
import { ContractError, type HelperClient } from '../../../shared/contract';

export interface ErrorInfo {
  code: string;
  message: string;
  hint?: string;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof ContractError) return { code: error.code, message: error.message, hint: error.hint };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** Runs `load` now if connected and again on every reconnect (a restarted helper has fresh state). */
export function onEveryConnect(client: HelperClient, load: () => void): void {
  client.onConnectionChange((state) => {
    if (state === 'connected') load();
  });
  if (client.connectionState === 'connected') load();
}
