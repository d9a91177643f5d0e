/**
 * The messages that travel between a contract client and the helper, whatever carries them
 * (an Electron MessagePort, a WebSocket, or a direct in-process hand-off).
 *
 * Requests carry an id chosen by the client; the same id cancels the request. Events are pushed
 * by the helper to every connected client.
 */
import { z } from 'zod';
import { contractErrorSchema } from './errors';

export const requestIdSchema = z.string().min(1).max(100);

export const requestMessageSchema = z.object({
  type: z.literal('request'),
  id: requestIdSchema,
  method: z.string().min(1).max(100),
  params: z.unknown(),
});

export const cancelMessageSchema = z.object({
  type: z.literal('cancel'),
  id: requestIdSchema,
});

export const clientMessageSchema = z.discriminatedUnion('type', [requestMessageSchema, cancelMessageSchema]);

export const responseMessageSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: requestIdSchema, ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: requestIdSchema.nullable(), ok: z.literal(false), error: contractErrorSchema }),
]);

export const eventMessageSchema = z.object({
  type: z.literal('event'),
  event: z.string(),
  payload: z.unknown(),
});

export const helperMessageSchema = z.union([responseMessageSchema, eventMessageSchema]);

export type RequestMessage = z.infer<typeof requestMessageSchema>;
export type CancelMessage = z.infer<typeof cancelMessageSchema>;
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ResponseMessage = z.infer<typeof responseMessageSchema>;
export type EventMessage = z.infer<typeof eventMessageSchema>;
export type HelperMessage = z.infer<typeof helperMessageSchema>;

/**
 * One end of a connection. Transports adapt their own channel to this shape; the dispatcher and
 * the client only ever see a Wire. Messages are plain structured-cloneable data.
 */
export interface Wire<Outgoing, Incoming = unknown> {
  send(message: Outgoing): void;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: Incoming) => void): () => void;
  onClose(listener: () => void): () => void;
  close(): void;
}

export type ClientWire = Wire<ClientMessage>;
export type HelperWire = Wire<HelperMessage>;
