// GET /healthz: liveness and the number of calls in progress (no authentication).
import { Hono } from 'hono';
import type { ApiDeps } from './deps.ts';

export function healthRoutes(deps: Pick<ApiDeps, 'calls'>): Hono {
  const app = new Hono();
  app.get('/healthz', (c) => c.json({ ok: true, calls: deps.calls.count }));
  return app;
}
