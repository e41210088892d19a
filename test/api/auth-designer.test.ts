// Authentication of the API and the designer's static files with SPA fallback, over real HTTP.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAuth, isLoopback } from '../../runtime/api/auth.ts';
import { call, startApi, type ApiHarness } from './harness.ts';

const KEY = 'k-0123456789abcdef0123';

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.0.0.2', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['10.0.0.1', false],
    ['::ffff:192.168.1.2', false],
    ['128.0.0.1', false],
    [undefined, false],
  ])('%s -> %s', (address, expected) => {
    expect(isLoopback(address)).toBe(expected);
  });
});

describe('apiAuth with a remote client', () => {
  // The peer address comes from the socket; a remote client is simulated by the address function only.
  const app = new Hono();
  app.use(
    '*',
    apiAuth({ apiKeys: [KEY], loopbackOpen: true, remoteAddress: (_c: Context) => '203.0.113.9' }),
  );
  app.get('/x', (c) => c.text('ok'));

  it('needs a key even though loopback is open', async () => {
    const res = await app.request('/x');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(
      (await app.request('/x', { headers: { authorization: 'Bearer wrong-key-0000000000' } })).status,
    ).toBe(401);
    expect((await app.request('/x', { headers: { authorization: `Bearer ${KEY}` } })).status).toBe(200);
    expect((await app.request(`/x?access_token=${KEY}`)).status).toBe(200);
  });
});

describe('API over HTTP with loopback closed', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ overrides: { 'auth.apiKeys': [KEY], 'auth.loopbackOpen': false } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('answers 401 without a key, 200 with it; health stays open', async () => {
    expect((await call(api.base, 'GET', '/api/flows')).status).toBe(401);
    expect((await call(api.base, 'GET', '/sounds/x.wav')).status).toBe(401);
    expect(
      (await call(api.base, 'GET', '/api/flows', undefined, { authorization: `Bearer ${KEY}` })).status,
    ).toBe(200);
    expect((await call(api.base, 'GET', '/healthz')).status).toBe(200);
  });
});

describe('API over HTTP with loopback open (default)', () => {
  let api: ApiHarness;
  beforeAll(async () => {
    api = await startApi({ overrides: { 'auth.apiKeys': [KEY] } });
  });
  afterAll(async () => {
    await api.close();
  });

  it('lets 127.0.0.1 in without a key', async () => {
    expect((await call(api.base, 'GET', '/api/flows')).status).toBe(200);
  });

  it('answers 404 JSON for unknown API paths and for / when no designer is built', async () => {
    const res = await call(api.base, 'GET', '/api/nothing');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: 'not found' });
    expect((await call(api.base, 'GET', '/')).status).toBe(404);
  });

  it('serves the built designer with the SPA fallback for app routes only', async () => {
    mkdirSync(join(api.designerDir, 'assets'), { recursive: true });
    writeFileSync(join(api.designerDir, 'index.html'), '<!doctype html><title>designer</title>');
    writeFileSync(join(api.designerDir, 'assets', 'app-123.js'), 'console.log(1)');
    const root = await fetch(`${api.base}/`);
    expect(root.status).toBe(200);
    expect(await root.text()).toContain('<title>designer</title>');
    const asset = await fetch(`${api.base}/assets/app-123.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    const route = await fetch(`${api.base}/flows/main-menu`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('designer');
    expect((await fetch(`${api.base}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${api.base}/%2e%2e/ivr.db`)).status).toBe(404);
    expect((await call(api.base, 'GET', '/api/nothing')).status).toBe(404);
  });
});
