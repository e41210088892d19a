// GET /api/sim: the WebSocket of the designer's test-call panel (protocol in runtime/media/browser/protocol.ts).
import { Hono } from 'hono';
import type { UpgradeWebSocket } from 'hono/ws';
import type { ApiDeps } from './deps.ts';
import { TestCall } from './test-call.ts';

export function simRoutes(deps: ApiDeps, upgradeWebSocket: UpgradeWebSocket): Hono {
  const app = new Hono();
  app.get(
    '/api/sim',
    upgradeWebSocket(() => {
      let call: TestCall | undefined;
      return {
        onOpen: (_ev, ws) => {
          call = new TestCall(deps, (msg) => {
            if (ws.readyState === 1) ws.send(JSON.stringify(msg));
          });
        },
        onMessage: (ev, ws) => {
          if (typeof ev.data !== 'string') {
            ws.send(JSON.stringify({ type: 'error', message: 'send JSON text frames' }));
            return;
          }
          call?.receive(ev.data);
        },
        onClose: () => call?.close(),
      };
    }),
  );
  return app;
}
