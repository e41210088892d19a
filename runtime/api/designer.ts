// Serves the built designer (designer/dist) at `/`, with the SPA fallback to index.html for app routes.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Hono } from 'hono';
import { ConfinedRoot } from '../files/confined-root.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

export function designerRoutes(dir: string): Hono {
  const app = new Hono();
  const root = new ConfinedRoot(dir);
  app.get('*', async (c, next) => {
    if (!existsSync(join(dir, 'index.html'))) return next();
    const path = new URL(c.req.url).pathname;
    // API families are never the app: an unknown path there is that family's 404, not the designer's page.
    if (/^\/(api|sounds|bridge|Oms)(\/|$)/.test(path)) return next();
    let rel: string;
    try {
      rel = decodeURIComponent(path).replace(/^\/+/, '');
    } catch {
      return next();
    }
    // Browsers ask for /favicon.ico whatever the page links: answer with the designer's SVG icon.
    const found =
      rel === ''
        ? undefined
        : ((await root.open(rel)) ?? (rel === 'favicon.ico' ? await root.open('favicon.svg') : undefined));
    if (found) {
      const type = TYPES[extname(found.file).toLowerCase()] ?? 'application/octet-stream';
      // Vite puts a content hash in asset names, so they can be cached for good; index.html never.
      const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return c.body(new Uint8Array(await readFile(found.file)), 200, {
        'Content-Type': type,
        'Cache-Control': cache,
      });
    }
    // Only extension-less paths are app routes; a missing `x.js` is a 404, not the app.
    if (extname(rel) !== '') return next();
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    return c.html(html, 200, { 'Cache-Control': 'no-cache' });
  });
  return app;
}
