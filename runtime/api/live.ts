// GET /api/live: the call center as it changes, for the operations view (Server-Sent Events). A `snapshot` first
// (every extension's state and every live call), then `extension`, `call` and `call-ended` events from the bus:
// the page never polls and keeps no rules of its own about call state.
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { CallView } from '../callcenter/events.ts';
import type { ApiDeps } from './deps.ts';

/** Browsers reconnect by themselves after this long when the stream drops. */
const RETRY_MS = 2000;
/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

export function liveRoutes(deps: Pick<ApiDeps, 'calls'>): Hono {
  const app = new Hono();
  app.get('/api/live', (c) =>
    streamSSE(c, async (stream) => {
      const { bus, registry, states } = deps.calls;
      const queue: { event: string; data: unknown }[] = [];
      let wake: (() => void) | undefined;
      const push = (event: string, data: unknown) => {
        queue.push({ event, data });
        wake?.();
      };
      // Legs hung up after a call ended change too; the page has the end already.
      const ended = new Set<string>();
      const offs = [
        bus.on('extension.changed', ({ number }) => {
          const status = states.status(number);
          if (status) push('extension', status);
        }),
        bus.on('call.started', ({ call }) => push('call', call)),
        bus.on('leg.changed', ({ call }) => {
          if (!ended.has(call.callId)) push('call', call);
        }),
        bus.on('call.ended', ({ call, ending }) => {
          ended.add(call.callId);
          // Bounded: late leg changes follow their call's end within moments.
          if (ended.size > 1000) ended.delete(ended.values().next().value as string);
          push('call-ended', { callId: call.callId, ending });
        }),
      ];
      const closed = new Promise<void>((resolve) => stream.onAbort(resolve));
      try {
        const calls: CallView[] = registry.all().map((call) => call.view());
        await stream.writeSSE({
          event: 'snapshot',
          data: JSON.stringify({ extensions: states.all(), calls }),
          retry: RETRY_MS,
        });
        while (!stream.aborted) {
          while (queue.length > 0) {
            const { event, data } = queue.shift()!;
            await stream.writeSSE({ event, data: JSON.stringify(data) });
          }
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            closed,
            new Promise<void>((resolve) => {
              wake = resolve;
              timer = setTimeout(resolve, KEEPALIVE_MS);
            }),
          ]);
          clearTimeout(timer);
          wake = undefined;
          if (queue.length === 0 && !stream.aborted) await stream.write(': keepalive\n\n');
        }
      } finally {
        for (const off of offs) off();
      }
    }),
  );
  return app;
}
