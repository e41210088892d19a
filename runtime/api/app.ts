// The HTTP API: one Hono app mounting every route family, and the server that listens for it (HTTP + WebSocket).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import { serve, upgradeWebSocket } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import type { ApiDeps } from './deps.ts';
import { apiAuth } from './auth.ts';
import { allowedHostsFor, changesState, requestGuard } from './guard.ts';
import { healthRoutes } from './health.ts';
import { callRoutes } from './calls.ts';
import { flowRoutes } from './flows.ts';
import { routeRoutes } from './routes.ts';
import { soundRoutes } from './sounds.ts';
import { ttsRoutes } from './tts.ts';
import { statsRoutes } from './stats.ts';
import { simRoutes } from './sim.ts';
import { designerRoutes } from './designer.ts';

/** The manual's servlets whose GET requests change state (place calls, edit contacts, delete tones). */
const STATE_CHANGING_GETS = [
  '/bridge/callctrl',
  '/bridge/ContactsSrvlt',
  '/bridge/PreorderSrvlt',
  '/bridge/ToneFileSvlt',
];

export function createApp(deps: ApiDeps): Hono {
  const app = new Hono();
  // Before the guard: load balancers and probes reach the health check by any name.
  app.route('/', healthRoutes(deps));
  const { http } = deps.config;
  app.use(
    '*',
    requestGuard({
      allowedHosts: allowedHostsFor(http.host, http.allowedHosts),
      allowedOrigins: http.allowedOrigins,
      // The manual's tone upload is a form post from integrators' servers (section 24).
      formPosts: ['/bridge/ToneFileSvlt'],
      onRefused: (r) => deps.log.info(r, 'request refused'),
    }),
  );
  for (const path of STATE_CHANGING_GETS) app.use(path, changesState());
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
