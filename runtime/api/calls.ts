// Call logs and traces: GET /api/calls, /api/calls/:callid, /api/calls/:callid/trace.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { jsonError, readQuery } from './json.ts';

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export function callRoutes(deps: Pick<ApiDeps, 'store'>): Hono {
  const app = new Hono();
  app.get('/api/calls', async (c) => {
    const q = readQuery(c, pageQuery);
    if (!q.ok) return q.response;
    const { limit, offset } = q.value;
    return c.json({
      total: await deps.store.callLogs.count(),
      limit,
      offset,
      calls: await deps.store.callLogs.list(limit, offset),
    });
  });
  app.get('/api/calls/:callid', async (c) => {
    const row = await deps.store.callLogs.get(c.req.param('callid'));
    return row ? c.json(row) : jsonError(c, 404, 'unknown callid');
  });
  app.get('/api/calls/:callid/trace', async (c) => {
    const callid = c.req.param('callid');
    if (!(await deps.store.callLogs.get(callid))) return jsonError(c, 404, 'unknown callid');
    return c.json(await deps.store.traces.list(callid));
  });
  return app;
}
