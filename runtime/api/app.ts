// The HTTP API: one Hono app mounting every route family, and the server that listens for it (HTTP + WebSocket).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import { serve, upgradeWebSocket } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { ApiDeps } from './deps.ts';
import { apiAuth } from './auth.ts';
import { healthRoutes } from './health.ts';
import { callRoutes } from './calls.ts';
import { flowRoutes } from './flows.ts';
import { routeRoutes } from './routes.ts';
import { soundRoutes } from './sounds.ts';
import { ttsRoutes } from './tts.ts';
import { statsRoutes } from './stats.ts';
import { simRoutes } from './sim.ts';
import { designerRoutes } from './designer.ts';

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  app.route('/', healthRoutes(deps));
  const auth = apiAuth({ apiKeys: deps.config.auth.apiKeys, loopbackOpen: deps.config.auth.loopbackOpen });
  app.use('/api/*', auth);
  app.use('/sounds/*', auth);
  for (const routes of [
    callRoutes(deps),
    flowRoutes(deps),
    routeRoutes(deps),
    soundRoutes(deps),
    ttsRoutes(deps),
    statsRoutes(deps),
    simRoutes(deps, upgradeWebSocket),
    designerRoutes(deps.designerDir),
  ]) {
    app.route('/', routes);
  }
  app.notFound((c) => c.json({ error: 'not found' }, 404));
  app.onError((err, c) => {
    deps.log.error({ err, path: c.req.path }, 'request failed');
    return c.json({ error: 'internal error' }, 500);
  });
  return app;
}

export interface Listening {
  port: number;
  /** Closes test-call sockets and the listener. */
  close(): Promise<void>;
}

/** Listens on host:port (0 = any free port) and resolves once bound. */
export function listen(app: Hono, host: string, port: number): Promise<Listening> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port, websocket: { server: wss } }) as Server;
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const close = () =>
        new Promise<void>((done) => {
          for (const ws of wss.clients) ws.terminate();
          server.close(() => done());
          server.closeAllConnections();
        });
      resolve({ port: (server.address() as AddressInfo).port, close });
    });
  });
}
