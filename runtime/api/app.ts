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
import { extensionRoutes } from './extensions.ts';
import { openApiRoutes } from './openapi.ts';
import { liveRoutes } from './live.ts';
import { callctrlRoutes } from './bridge/callctrl.ts';
import { jsoncfgRoutes } from './bridge/jsoncfg.ts';
import { omsRoutes } from './bridge/oms.ts';
import { send } from './bridge/answer.ts';
import { contactRoutes } from './servlets/contacts.ts';
import { toneFileRoutes } from './servlets/tone-files.ts';
import { smsRoutes } from './servlets/sms.ts';
import { soapRoutes } from './soap/routes.ts';
import { click2CallControl } from './soap/click2call-control.ts';
import { voiceMailHome } from './soap/voicemail-home.ts';
import { callRecordHome } from './soap/call-record-home.ts';
import type { ServiceSpec } from './soap/spec.ts';

/** Path families whose answers are the manual's plain-text codes (everything else under them is a 404 code). */
const MANUAL_FAMILIES = ['/bridge', '/Oms'];

const inFamily = (path: string, family: string) => path === family || path.startsWith(`${family}/`);

/** The manual's servlets whose GET requests change state (place calls, edit contacts, delete tones). */
const STATE_CHANGING_GETS = [
  '/bridge/callctrl',
  '/bridge/ContactsSrvlt',
  '/bridge/PreorderSrvlt',
  '/bridge/ToneFileSvlt',
];

/** The manual's SOAP services (sections 25, 27, 28); TextToCallService (26) needs the outbound dialer. */
function soapServices(deps: ApiDeps): ServiceSpec[] {
  const services = [click2CallControl(deps.calls.control), callRecordHome(deps.store, deps.recordings)];
  if (deps.calls.voicemail) services.push(voiceMailHome(deps.calls.voicemail));
  return services;
}

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
      // Form posts from integrators' servers: the tone upload (section 24), the imports' `data` when too long for a
      // URL (19, 20) and SMS gateways (23). A browser on another site is still refused.
      formPosts: [
        '/bridge/ToneFileSvlt',
        '/bridge/ContactsSrvlt',
        '/bridge/PreorderSrvlt',
        '/bridge/SmsQuerySvlt',
      ],
      onRefused: (r) => deps.log.info(r, 'request refused'),
    }),
  );
  for (const path of STATE_CHANGING_GETS) app.use(path, changesState());
  const { apiKeys, loopbackOpen, trustedClients } = deps.config.auth;
  const auth = apiAuth({ apiKeys, loopbackOpen });
  app.use('/api/*', auth);
  app.use('/sounds/*', auth);
  // The manual's integrators: keys as the API, plus their trusted servers (`authtype=no`); answers in plain text.
  const manualAuth = apiAuth({
    apiKeys,
    loopbackOpen,
    trustedClients,
    refusal: (c, reason) => send(c, { code: 401, reason }),
  });
  for (const family of MANUAL_FAMILIES) {
    app.use(family, manualAuth);
    app.use(`${family}/*`, manualAuth);
  }
  for (const routes of [
    callRoutes(deps),
    flowRoutes(deps),
    routeRoutes(deps),
    soundRoutes(deps),
    ttsRoutes(deps),
    statsRoutes(deps),
    extensionRoutes(deps),
    liveRoutes(deps),
    openApiRoutes('0.2.0'),
    simRoutes(deps, upgradeWebSocket),
    callctrlRoutes(deps.calls.control),
    jsoncfgRoutes(deps.calls.control),
    omsRoutes({ store: deps.store, recordings: deps.recordings, voicemail: deps.calls.voicemail?.root }),
    contactRoutes(deps.store),
    toneFileRoutes(deps.calls.tones, http.maxUploadBytes),
    smsRoutes(deps.sms),
    soapRoutes(soapServices(deps), deps.log),
    designerRoutes(deps.designerDir),
  ]) {
    app.route('/', routes);
  }
  // Each family answers in its own format, so an integrator's code never reads a page as success.
  const manual = (path: string) => MANUAL_FAMILIES.some((f) => inFamily(path, f));
  app.notFound((c) =>
    manual(c.req.path)
      ? send(c, { code: 404, reason: 'no such interface' })
      : c.json({ error: 'not found' }, 404),
  );
  app.onError((err, c) => {
    deps.log.error({ err, path: c.req.path }, 'request failed');
    return manual(c.req.path)
      ? send(c, { code: 500, reason: 'internal error' })
      : c.json({ error: 'internal error' }, 500);
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
