// GET/PUT /api/routes: called number -> flow (calls run that flow's newest published version).
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { jsonError, limitBody, readJson } from './json.ts';

const routesBody = z
  .array(
    z.strictObject({
      number: z.string().regex(/^[0-9*#+]{1,32}$/, 'digits, *, # or + (1 to 32)'),
      flowId: z.string().min(1).max(64),
    }),
  )
  .max(10000)
  .refine((rs) => new Set(rs.map((r) => r.number)).size === rs.length, 'a number appears twice');

export function routeRoutes(deps: Pick<ApiDeps, 'store' | 'config'>): Hono {
  const app = new Hono();
  app.use('/api/routes', limitBody(deps.config.http.maxBodyBytes));
  app.get('/api/routes', async (c) => c.json(await deps.store.routes.list()));
  app.put('/api/routes', async (c) => {
    const body = await readJson(c, routesBody);
    if (!body.ok) return body.response;
    const unknown: string[] = [];
    for (const r of body.value) if (!(await deps.store.flows.exists(r.flowId))) unknown.push(r.flowId);
    if (unknown.length > 0) return jsonError(c, 400, `unknown flow: ${[...new Set(unknown)].join(', ')}`);
    await deps.store.routes.replace(body.value);
    return c.json(await deps.store.routes.list());
  });
  return app;
}
