// `/bridge/callctrl?…&opt=…` (manual sections 1–3, 5, 6, 8–13, 15–18, 21): one table from `opt` to its handler.
// Handlers read the manual's parameters and answer through the one answer helper.
import { Hono, type Context } from 'hono';
import type { Control } from '../../callcenter/control/control.ts';
import { send, sendBody, sendJson, type Answer } from './answer.ts';
import { readParams, type Params } from './params.ts';
import { callLogHandlers } from './call-logs.ts';
import { callHandlers } from './calls.ts';
import { partyHandlers } from './parties.ts';
import { outboundHandlers } from './outbound.ts';

/** What a handler hands back: a code, a documented text body, or documented JSON. */
export type Reply = Answer | { body: string } | { json: unknown };

export type OptHandler = (p: Params, control: Control) => Promise<Reply>;

/** Every opt the runtime serves; one small module per family. */
export function optTable(): Record<string, OptHandler> {
  return { ...callHandlers(), ...partyHandlers(), ...callLogHandlers(), ...outboundHandlers() };
}

function reply(c: Context, r: Reply): Response {
  if ('json' in r) return sendJson(c, r.json);
  if ('body' in r) return sendBody(c, r.body);
  return send(c, r);
}

export function callctrlRoutes(control: Control): Hono {
  const app = new Hono();
  const table = optTable();
  const handle = async (c: Context) => {
    const params = await readParams(c);
    const opt = params.get('opt')?.trim();
    if (!opt) return send(c, { code: 400, reason: 'opt is missing' });
    const handler = Object.hasOwn(table, opt) ? table[opt] : undefined;
    if (!handler) return send(c, { code: 400, reason: `unknown opt ${opt.slice(0, 64)}` });
    return reply(c, await handler(params, control));
  };
  app.get('/bridge/callctrl', handle);
  app.post('/bridge/callctrl', handle);
  return app;
}
