/**
 * The object the Electron preload exposes as `window.mirrorClone`, and the renderer-side client
 * built on it. contextBridge copies values between worlds: an AbortSignal or a custom Error
 * class would not survive the crossing, so calls carry a plain request id (cancel by id) and
 * answers come back as plain envelopes that the renderer turns into ContractErrors again.
 */
import { ContractError, type ContractErrorData } from './errors';
import type { AbortSignalLike, ConnectionState, ContractClient } from './client';
import type { EventName, MethodName, ParamsOf, PayloadOf, ResultOf } from './methods';

export type BridgeEnvelope<T> = { ok: true; result: T } | { ok: false; error: ContractErrorData };

export interface MirrorCloneBridge {
  call<M extends MethodName>(method: M, params: ParamsOf<M>, options: { id: string }): Promise<BridgeEnvelope<ResultOf<M>>>;
  cancel(id: string): void;
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  connectionState(): ConnectionState;
}

/** What the renderer programs against, whichever way it reaches the helper. */
export interface HelperClient {
  call<M extends MethodName>(method: M, params: ParamsOf<M>, options?: { signal?: AbortSignalLike }): Promise<ResultOf<M>>;
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  readonly connectionState: ConnectionState;
}

/** Preload side: wrap a ContractClient in the copy-safe shape. */
export function exposeAsBridge(client: ContractClient): MirrorCloneBridge {
  return {
    async call(method, params, options) {
      try {
        return { ok: true, result: await client.call(method, params, { id: options.id }) };
      } catch (error) {
        const data = error instanceof ContractError ? error.toData() : new ContractError('INTERNAL', String(error)).toData();
        return { ok: false, error: data };
      }
    },
    cancel: (id) => client.cancel(id),
    on: (event, listener) => client.on(event, listener),
    onConnectionChange: (listener) => client.onConnectionChange(listener),
    connectionState: () => client.connectionState,
  };
}

/** Renderer side: turn the bridge back into a client with AbortSignal and typed errors. */
export function clientFromBridge(bridge: MirrorCloneBridge): HelperClient {
  const idPrefix = `r${Math.random().toString(36).slice(2, 10)}`;
  let nextId = 1;
  return {
    async call(method, params, options = {}) {
      const id = `${idPrefix}-${nextId++}`;
      const { signal } = options;
      if (signal?.aborted) throw new ContractError('CANCELLED', `${method} was cancelled.`);
      const onAbort = () => bridge.cancel(id);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const envelope = await bridge.call(method, params, { id });
        if (!envelope.ok) throw ContractError.fromData(envelope.error);
        return envelope.result;
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    },
    on: (event, listener) => bridge.on(event, listener),
    onConnectionChange: (listener) => bridge.onConnectionChange(listener),
    get connectionState() {
      return bridge.connectionState();
    },
  };
}
