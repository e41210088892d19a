// The examples' check backend: every example's routes on one Hono app, and a small HTTP server around it.
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createFoodOrderingApp } from './food-ordering/backend.ts';
import { createBalanceQueryApp } from './balance-query/backend.ts';

/** The port the examples' check URLs name (`http://127.0.0.1:8080/...`). */
export const DEFAULT_PORT = 8080;

/** Where each example's routes live; the food-ordering ones are the manual's own paths. */
export const MOUNTS = [
  {
    example: 'food-ordering',
    path: '/',
    create: createFoodOrderingApp,
    routes: ['/Oms/StateHttpTestServlet', '/0ms/StateHttpTestServlet', '/orders'],
  },
  {
    example: 'balance-query',
    path: '/balance-query',
    create: () => createBalanceQueryApp(),
    routes: ['/balance-query/check'],
  },
] as const;

/** A fresh app with every example backend mounted, each with its own empty memory. */
export function createExamplesBackend(): Hono {
  const app = new Hono();
  for (const mount of MOUNTS) app.route(mount.path, mount.create());
  app.get('/', (c) =>
    c.text(MOUNTS.map(({ example, routes }) => `${example}: ${routes.join(' ')}`).join('\n') + '\n'),
  );
  // Check URLs are answered with text; an unknown path says so in text too.
  app.notFound((c) => c.text('NOT_FOUND', 404));
  app.onError((error, c) => {
    console.error(error);
    return c.text('BACKEND_ERROR', 500);
  });
  return app;
}

export interface StartOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
}

export interface RunningBackend {
  port: number;
  close(): Promise<void>;
}

/** Serves createExamplesBackend() over HTTP; resolves once it listens. */
export function startExamplesBackend({ port, host = '127.0.0.1' }: StartOptions): Promise<RunningBackend> {
  const app = createExamplesBackend();
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      server.off('error', reject);
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
