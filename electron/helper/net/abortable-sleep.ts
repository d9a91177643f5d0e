/**
 * A pause between retries that ends at once, rejecting with `CANCELLED`, when the work is
 * cancelled. Its listener is removed when the pause ends normally: one signal lives as long as a
 * clone or a request and serves every pause in it.
 */
import { ContractError } from '../../../shared/contract';

export function abortableSleep(ms: number, signal: AbortSignal | undefined, cancelledMessage = 'Cancelled.'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new ContractError('CANCELLED', cancelledMessage));
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ContractError('CANCELLED', cancelledMessage));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
