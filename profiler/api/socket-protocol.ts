import { z } from 'zod';

/**
 * Messages on the serve/agent WebSocket. A request names a WorkbenchApi method; the reply carries the
 * same id. Events (trial progress, memory samples) are pushed without an id.
 */
export const SocketRequestSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string(),
  args: z.array(z.unknown()),
});
export type SocketRequest = z.infer<typeof SocketRequestSchema>;

export const SocketErrorSchema = z.object({
  /** stable code a client can branch on */
  /** 'forbidden': the request names something this door may not touch (a model outside the allowed folders) */
  code: z.enum(['bad-request', 'unknown-method', 'invalid-arguments', 'forbidden', 'failed']),
  /** a sentence for people: what was wrong and what to do */
  message: z.string(),
});
export type SocketError = z.infer<typeof SocketErrorSchema>;

export const SocketReplySchema = z.discriminatedUnion('ok', [
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int().nullable(), ok: z.literal(false), error: SocketErrorSchema }),
]);
export type SocketReply = z.infer<typeof SocketReplySchema>;

export const SocketEventSchema = z.object({ event: z.string(), payload: z.unknown() });
export type SocketEvent = z.infer<typeof SocketEventSchema>;
