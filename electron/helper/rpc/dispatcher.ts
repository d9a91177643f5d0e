/**
 * The helper's edge: every message from every transport comes through here, is validated against
 * the contract, and is answered with a result or a typed error. A bad message never throws out of
 * this file, so one confused client cannot take the helper down for the others.
 */
import type { z } from 'zod';
import {
  ContractError,
  clientMessageSchema,
  events,
  methods,
  isMethodName,
  type EventName,
  type HelperMessage,
  type MethodName,
  type Methods,
  type PayloadOf,
  type ResultOf,
  type Wire,
} from '../../../shared/contract';
import type { TransportKind } from '../../../shared/contract/domains/helper';
import type { Logger } from '../logger';

export interface RequestContext {
  /** Aborted when the client cancels the request or its connection closes. */
  signal: AbortSignal;
  transport: TransportKind;
}

export type Handler<M extends MethodName> = (
  params: z.output<Methods[M]['params']>,
  context: RequestContext,
) => Promise<ResultOf<M>> | ResultOf<M>;

export type Handlers = { [M in MethodName]: Handler<M> };

/** What the helper's side of a connection looks like: it sends contract messages, receives anything. */
export type HelperSideWire = Wire<HelperMessage, unknown>;

/** How services send events: to every connected client. */
export type EventSink = <E extends EventName>(event: E, payload: PayloadOf<E>) => void;

export interface Dispatcher {
  connect(wire: HelperSideWire, transport: TransportKind): () => void;
  broadcast<E extends EventName>(event: E, payload: PayloadOf<E>): void;
  readonly connectionCount: number;
  closeAll(): void;
}

export function badMessageResponse(message: string): HelperMessage {
  return { type: 'response', id: null, ok: false, error: { code: 'BAD_MESSAGE', message } };
}

function toErrorData(error: unknown, method: string) {
  if (error instanceof ContractError) return error.toData();
  const message = error instanceof Error ? error.message : String(error);
  return new ContractError('INTERNAL', `The helper failed while handling ${method}: ${message}`).toData();
}

/** Partial so tests can serve a few methods; the helper itself composes a complete Handlers. */
export function createDispatcher(handlers: Partial<Handlers>, logger: Logger): Dispatcher {
  const connections = new Set<HelperSideWire>();

  const connect = (wire: HelperSideWire, transport: TransportKind) => {
    const inFlight = new Map<string, AbortController>();
    connections.add(wire);

    const send = (message: HelperMessage) => {
      try {
        wire.send(message);
      } catch (error) {
        logger.warn('could not send to a client', { error: String(error) });
      }
    };

    const handleRequest = async (id: string, method: string, rawParams: unknown) => {
      if (inFlight.has(id)) {
        send({ type: 'response', id, ok: false, error: { code: 'BAD_MESSAGE', message: `Request id ${id} is already in use.` } });
        return;
      }
      if (!isMethodName(method) || !handlers[method]) {
        send({ type: 'response', id, ok: false, error: { code: 'UNKNOWN_METHOD', message: `The helper has no method called "${method}".` } });
        return;
      }
      const params = methods[method].params.safeParse(rawParams ?? {});
      if (!params.success) {
        const issues = params.error.issues.slice(0, 5).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
        send({ type: 'response', id, ok: false, error: { code: 'INVALID_PARAMS', message: `Invalid parameters for ${method}.`, details: { issues } } });
        return;
      }
      const controller = new AbortController();
      inFlight.set(id, controller);
      try {
        const handler = handlers[method] as Handler<typeof method>;
        const result = await handler(params.data as never, { signal: controller.signal, transport });
        if (!controller.signal.aborted) send({ type: 'response', id, ok: true, result });
      } catch (error) {
        if (controller.signal.aborted) return; // the client already knows it cancelled
        if (!(error instanceof ContractError)) logger.error('handler failed', { method, error: String(error) });
        send({ type: 'response', id, ok: false, error: toErrorData(error, method) });
      } finally {
        inFlight.delete(id);
      }
    };

    const offMessage = wire.onMessage((raw) => {
      const parsed = clientMessageSchema.safeParse(raw);
      if (!parsed.success) {
        const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
        send({ type: 'response', id, ok: false, error: { code: 'BAD_MESSAGE', message: 'The message is not a contract request or cancel.' } });
        return;
      }
      const message = parsed.data;
      if (message.type === 'cancel') {
        inFlight.get(message.id)?.abort(new ContractError('CANCELLED', 'Cancelled by the client.'));
        return;
      }
      void handleRequest(message.id, message.method, message.params);
    });

    const disconnect = () => {
      if (!connections.delete(wire)) return;
      offMessage();
      offClose();
      for (const controller of inFlight.values()) controller.abort(new ContractError('CANCELLED', 'The client disconnected.'));
      inFlight.clear();
    };
    const offClose = wire.onClose(disconnect);
    return disconnect;
  };

  return {
    connect,
    get connectionCount() {
      return connections.size;
    },
    broadcast(event, payload) {
      const checked = events[event].safeParse(payload);
      if (!checked.success) {
        logger.error('refusing to broadcast an event that breaks the contract', { event });
        return;
      }
      for (const wire of connections) {
        try {
          wire.send({ type: 'event', event, payload: checked.data });
        } catch (error) {
          logger.warn('could not deliver an event', { event, error: String(error) });
        }
      }
    },
    closeAll() {
      for (const wire of [...connections]) wire.close();
    },
  };
}
