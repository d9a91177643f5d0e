/**
 * The contract client: typed calls and events over whatever Wire is attached.
 *
 * One client lives as long as its UI or CLI; wires come and go (the helper can restart, a
 * WebSocket can drop). Calls in flight when a wire closes fail with HELPER_UNAVAILABLE, event
 * subscriptions survive and resume on the next wire.
 */
import { ContractError } from './errors';
import {
  events,
  isEventName,
  methods,
  type EventName,
  type MethodName,
  type ParamsOf,
  type PayloadOf,
  type ResultOf,
} from './methods';
import { helperMessageSchema, type ClientWire, type ResponseMessage } from './wire';

/** The part of AbortSignal the client needs; shared/ sees neither DOM nor Node typings. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export interface CallOptions {
  signal?: AbortSignalLike;
  /** Lets a caller that cannot hand over an AbortSignal (across contextBridge) cancel by id. */
  id?: string;
}

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

interface PendingCall {
  method: MethodName;
  resolve(value: unknown): void;
  reject(error: ContractError): void;
}

export interface ContractClient {
  call<M extends MethodName>(method: M, params: ParamsOf<M>, options?: CallOptions): Promise<ResultOf<M>>;
  cancel(id: string): void;
  on<E extends EventName>(event: E, listener: (payload: PayloadOf<E>) => void): () => void;
  onConnectionChange(listener: (state: ConnectionState) => void): () => void;
  readonly connectionState: ConnectionState;
  attach(wire: ClientWire): void;
  /** Marks the client as waiting for a wire (shown as "connecting" in the UI). */
  markConnecting(): void;
  close(): void;
}

export function createContractClient(options: { onProtocolError?: (problem: string) => void } = {}): ContractClient {
  const pending = new Map<string, PendingCall>();
  const eventListeners = new Map<string, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const idPrefix = Math.random().toString(36).slice(2, 10);
  let nextId = 1;
  let wire: ClientWire | undefined;
  let detachWire: (() => void) | undefined;
  let state: ConnectionState = 'disconnected';

  const setState = (next: ConnectionState) => {
    if (next === state) return;
    state = next;
    for (const listener of connectionListeners) listener(next);
  };

  const failAllPending = (error: ContractError) => {
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };

  const handleResponse = (message: ResponseMessage) => {
    if (message.id === null) {
      options.onProtocolError?.(`helper rejected a message: ${message.ok ? '' : message.error.message}`);
      return;
    }
    const call = pending.get(message.id);
    if (!call) return; // cancelled or timed out earlier: a late answer is not an error
    pending.delete(message.id);
    if (!message.ok) {
      call.reject(ContractError.fromData(message.error));
      return;
    }
    const parsed = methods[call.method].result.safeParse(message.result);
    if (parsed.success) call.resolve(parsed.data);
    else call.reject(new ContractError('INVALID_RESULT', `The helper's answer to ${call.method} does not match the contract.`, { details: { issues: parsed.error.issues.slice(0, 5) } }));
  };

  const handleIncoming = (raw: unknown) => {
    const parsed = helperMessageSchema.safeParse(raw);
    if (!parsed.success) {
      options.onProtocolError?.('received a message that is not part of the contract');
      return;
    }
    const message = parsed.data;
    if (message.type === 'response') {
      handleResponse(message);
      return;
    }
    if (!isEventName(message.event)) return; // a newer helper may send events this client does not know
    const payload = events[message.event].safeParse(message.payload);
    if (!payload.success) {
      options.onProtocolError?.(`event ${message.event} does not match the contract`);
      return;
    }
    for (const listener of eventListeners.get(message.event) ?? []) listener(payload.data as never);
  };

  const detach = () => {
    detachWire?.();
    detachWire = undefined;
    wire = undefined;
  };

  return {
    get connectionState() {
      return state;
    },

    attach(next) {
      detach();
      wire = next;
      const offMessage = next.onMessage(handleIncoming);
      const offClose = next.onClose(() => {
        if (wire !== next) return;
        detach();
        failAllPending(new ContractError('HELPER_UNAVAILABLE', 'The connection to the mirror-sync helper was lost.', { hint: 'It restarts on its own; try again in a moment.' }));
        setState('disconnected');
      });
      detachWire = () => {
        offMessage();
        offClose();
      };
      setState('connected');
    },

    markConnecting() {
      if (!wire) setState('connecting');
    },

    call(method, params, callOptions = {}) {
      const id = callOptions.id ?? `${idPrefix}-${nextId++}`;
      const { signal } = callOptions;
      return new Promise((resolve, reject) => {
        if (!wire) {
          reject(new ContractError('HELPER_UNAVAILABLE', 'The mirror-sync helper is not connected.', { hint: 'Wait for it to start, then try again.' }));
          return;
        }
        if (signal?.aborted) {
          reject(new ContractError('CANCELLED', `${method} was cancelled.`));
          return;
        }
        const onAbort = () => this.cancel(id);
        const settle = () => signal?.removeEventListener('abort', onAbort);
        pending.set(id, {
          method,
          resolve: (value) => {
            settle();
            resolve(value as ResultOf<typeof method>);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
        });
        signal?.addEventListener('abort', onAbort, { once: true });
        wire.send({ type: 'request', id, method, params });
      });
    },

    cancel(id) {
      const call = pending.get(id);
      if (!call) return;
      pending.delete(id);
      wire?.send({ type: 'cancel', id });
      call.reject(new ContractError('CANCELLED', `${call.method} was cancelled.`));
    },

    on(event, listener) {
      let listeners = eventListeners.get(event);
      if (!listeners) eventListeners.set(event, (listeners = new Set()));
      const stored = listener as (payload: never) => void;
      listeners.add(stored);
      return () => listeners.delete(stored);
    },

    onConnectionChange(listener) {
      connectionListeners.add(listener);
      return () => connectionListeners.delete(listener);
    },

    close() {
      const current = wire;
      detach();
      failAllPending(new ContractError('CANCELLED', 'The client was closed.'));
      current?.close();
      setState('disconnected');
    },
  };
}
