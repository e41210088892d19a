// GET /api/stats/nodes: per-form counts of one flow's calls, computed from the stored traces.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { readQuery } from './json.ts';

export interface NodeStats {
  entered: number;
  noInput: number;
  checkErrors: number;
}

const statsQuery = z
  .object({
    flow: z.string().min(1).max(64),
    from: z.coerce.number().int().min(0).default(0),
    to: z.coerce.number().int().min(0).default(Number.MAX_SAFE_INTEGER),
  })
  .refine((q) => q.from <= q.to, 'from must not be after to');

interface EventShape {
  type?: unknown;
  form?: unknown;
  digits?: unknown;
  value?: unknown;
  error?: unknown;
}

/** Adds one trace event to the counts of its form. */
export function countEvent(stats: Record<string, NodeStats>, event: unknown): void {
  const ev = event as EventShape;
  if (typeof ev.form !== 'string') return;
  const s = (stats[ev.form] ??= { entered: 0, noInput: 0, checkErrors: 0 });
  if (ev.type === 'form.enter') s.entered++;
  else if (ev.type === 'collect.end' && ev.digits === '') s.noInput++;
  else if (ev.type === 'check.response' && (ev.value === 'CHECK_ERROR' || ev.error !== undefined))
    s.checkErrors++;
}

export function statsRoutes(deps: Pick<ApiDeps, 'store'>): Hono {
  const app = new Hono();
  app.get('/api/stats/nodes', async (c) => {
    const q = readQuery(c, statsQuery);
    if (!q.ok) return q.response;
    const stats: Record<string, NodeStats> = {};
    const ids = await deps.store.callLogs.idsOfFlow(q.value.flow, q.value.from, q.value.to);
    await deps.store.traces.forEach(ids, (_id, ev) => countEvent(stats, ev));
    return c.json(stats);
  });
  return app;
}
