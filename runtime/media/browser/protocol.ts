// The browser test-call protocol (JSON over the `/api/sim` WebSocket): the designer's test panel is the caller.
import { z } from 'zod';

const varName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/);

/** What the browser sends. */
export const clientMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('start'),
    /** Run this document (the designer's unsaved state) ... */
    xml: z
      .string()
      .max(512 * 1024)
      .optional(),
    /** ... or this stored flow: its published version, or its saved draft when `draft` is true. */
    flowId: z.string().min(1).max(64).optional(),
    draft: z.boolean().optional(),
    vars: z.record(varName, z.string().max(1000)).optional(),
    caller: z.string().max(64).optional(),
    callee: z.string().max(64).optional(),
  }),
  z.strictObject({
    type: z.literal('dtmf'),
    digit: z.string().regex(/^[0-9*#A-Da-d]$/, 'one key: 0-9, *, #, A-D'),
  }),
  z.strictObject({ type: z.literal('played'), playId: z.number().int().min(1) }),
  z.strictObject({ type: z.literal('hangup') }),
]);

export type ClientMessage = z.infer<typeof clientMessage>;

export type PlayItem = { kind: 'audio'; url: string } | { kind: 'tts'; text: string; url: string };

/** What the runtime sends. */
export type ServerMessage =
  | { type: 'started'; callId: string }
  | { type: 'play'; playId: number; bargein: boolean; items: PlayItem[] }
  | { type: 'stop'; playId: number }
  | { type: 'trace'; event: unknown }
  | { type: 'end'; result: string; endReason: string }
  | { type: 'error'; message: string; problems?: unknown[] };
