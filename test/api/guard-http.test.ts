// The holes an outside tester found, closed on the real runtime over HTTP: cross-site requests, DNS rebinding (Host
// and WebSocket), raw `..` paths. Requests go through node:http so Host, Origin and the path are sent exactly.
import { request } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startApi, type ApiHarness } from './harness.ts';

interface Answer {
  status: number;
  type: string;
  text: string;
}

/** One request with exactly these headers and this path (nothing normalised, no header added but Content-Length). */
function raw(
  api: ApiHarness,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  const { port } = new URL(api.base);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), text }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Opens a WebSocket to /api/sim; resolves with 101 when it opens, else the status of the refusal. */
function upgrade(api: ApiHarness, opts: { host?: string; origin?: string }): Promise<number> {
  const ws = new WebSocket(`${api.base.replace('http', 'ws')}/api/sim`, {
    ...(opts.origin ? { origin: opts.origin } : {}),
    ...(opts.host ? { headers: { host: opts.host } } : {}),
  });
  return new Promise((resolve, reject) => {
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      res.resume();
      ws.terminate();
    });
    ws.on('error', (err) => reject(err));
  });
}

const FLOW = JSON.stringify({ id: 'csrf', name: 'CSRF' });

let api: ApiHarness;
let own: string;
beforeAll(async () => {
  api = await startApi();
  own = `127.0.0.1:${new URL(api.base).port}`;
  mkdirSync(api.designerDir, { recursive: true });
  writeFileSync(join(api.designerDir, 'index.html'), '<!doctype html><title>designer</title>');
});
afterAll(async () => {
  await api.close();
});

describe('cross-site requests', () => {
  it('refuses a text/plain POST from a page on another site, and changes nothing', async () => {
    const evil = { 'content-type': 'text/plain', origin: 'http://evil.example', host: own };
    const create = await raw(api, 'POST', '/api/flows', evil, FLOW);
    expect(create.status).toBe(403);
    expect(JSON.parse(create.text).error).toMatch(/cross-site/);
    expect(JSON.parse((await raw(api, 'GET', '/api/flows', { host: own })).text)).toEqual([]);
    await api.store.flows.create({ id: 'kept', name: 'Kept', xml: '<x/>', layout: null, now: 1 });
    const publish = await raw(api, 'POST', '/api/flows/kept/publish', evil, '{}');
    expect(publish.status).toBe(403);
    expect(await api.store.flows.versions('kept')).toEqual([]);
  });

  it('refuses the same POST without Origin when the browser says cross-site, or when a form could send it', async () => {
    const site = { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site', host: own };
    expect((await raw(api, 'POST', '/api/flows', site, FLOW)).status).toBe(403);
    const sameSite = { 'content-type': 'application/json', 'sec-fetch-site': 'same-site', host: own };
    expect((await raw(api, 'POST', '/api/flows', sameSite, FLOW)).status).toBe(403);
    // A browser too old to send Origin: a simple content type and no special header is what a form sends.
    const form = await raw(api, 'POST', '/api/flows', { 'content-type': 'text/plain', host: own }, FLOW);
    expect(form.status).toBe(403);
    expect(JSON.parse(form.text).error).toMatch(/X-Requested-With/);
    expect(await api.store.flows.exists('csrf')).toBe(false);
  });

  it("lets the designer's same-origin request through, and server clients without Origin", async () => {
    const designer = {
      'content-type': 'application/json',
      origin: `http://${own}`,
      'sec-fetch-site': 'same-origin',
      'x-requested-with': 'switchboard-designer',
      host: own,
    };
    expect((await raw(api, 'POST', '/api/flows', designer, FLOW)).status).toBe(201);
    // curl with a JSON body, and a body-less publish marked with the header.
    const curl = { 'content-type': 'application/json', host: own };
    const flow = JSON.stringify({ id: 'curl', name: 'Curl' });
    expect((await raw(api, 'POST', '/api/flows', curl, flow)).status).toBe(201);
    const marked = { 'x-requested-with': 'script', host: own };
    expect((await raw(api, 'POST', '/api/flows/curl/publish', marked)).status).toBe(201);
    // PUT and DELETE always need a preflight in a browser: a bare server request is fine.
    expect((await raw(api, 'DELETE', '/api/flows/curl', { host: own })).status).toBe(204);
  });

  it('refuses a PUT and a DELETE from a page on another site', async () => {
    const evil = { 'content-type': 'application/json', origin: 'http://evil.example', host: own };
    expect((await raw(api, 'PUT', '/api/routes', evil, '[]')).status).toBe(403);
    expect((await raw(api, 'DELETE', '/api/flows/csrf', evil)).status).toBe(403);
    expect(await api.store.flows.exists('csrf')).toBe(true);
  });

  it('refuses a cross-site GET to the integrator API that places calls, but opens read-only pages', async () => {
    const link = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate', host: own };
    const dial = await raw(api, 'GET', '/bridge/callctrl?caller=801&callee=135&opt=CLICK_TO_DIAL', link);
    expect(dial.status).toBe(403);
    expect(dial.type).toMatch(/^text\/plain/);
    expect(dial.text).toMatch(/^403\ncross-site/);
    // A server's GET carries neither Origin nor Sec-Fetch-*: it reaches the route.
    expect((await raw(api, 'GET', '/bridge/callctrl?opt=CLICK_TO_DIAL', { host: own })).status).not.toBe(403);
    // The designer's own page opens from a link on another site.
    expect((await raw(api, 'GET', '/flows/main', link)).status).toBe(200);
  });
});

describe('DNS rebinding', () => {
  it('refuses a foreign Host on the API, the sounds and the designer; health stays open', async () => {
    const evil = { host: 'evil.example' };
    const routes = await raw(api, 'GET', '/api/routes', evil);
    expect(routes.status).toBe(403);
    expect(JSON.parse(routes.text)).toEqual({ error: expect.stringMatching(/host/) });
    expect((await raw(api, 'GET', '/sounds/x.wav', evil)).status).toBe(403);
    const page = await raw(api, 'GET', '/', { host: `evil.example:${new URL(api.base).port}` });
    expect(page.status).toBe(403);
    expect(page.text).toMatch(/^403\nhost name not allowed/);
    expect((await raw(api, 'GET', '/healthz', evil)).status).toBe(200);
  });

  it('answers the loopback names on any port', async () => {
    for (const host of ['localhost', `localhost:${new URL(api.base).port}`, '127.0.0.1:1', '[::1]:80']) {
      expect((await raw(api, 'GET', '/api/routes', { host })).status, host).toBe(200);
    }
  });

  it('refuses a WebSocket upgrade with a foreign Host or Origin', async () => {
    expect(await upgrade(api, { host: 'evil.example' })).toBe(403);
    expect(await upgrade(api, { origin: 'http://evil.example' })).toBe(403);
    expect(await upgrade(api, { origin: `http://localhost:${new URL(api.base).port}` })).toBe(403);
    expect(await upgrade(api, { origin: `http://${own}` })).toBe(101);
    expect(await upgrade(api, {})).toBe(101);
  });
});

describe('paths that normalise outside their root', () => {
  it.each([
    '/sounds/../../../../etc/passwd',
    '/../../etc/passwd',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/api/../flows/main',
    '/sounds/./x.wav',
  ])('%s answers 404', async (path) => {
    const res = await raw(api, 'GET', path, { host: own });
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('<title>designer</title>');
  });
});

describe('configured names and origins', () => {
  let lan: ApiHarness;
  beforeAll(async () => {
    lan = await startApi({
      overrides: {
        'http.allowedHosts': ['ivr.example.lan', '*.pbx.example'],
        'http.allowedOrigins': ['https://ivr.example.com'],
      },
    });
  });
  afterAll(async () => {
    await lan.close();
  });

  it('answers the configured names, and takes state changes from the configured origin', async () => {
    expect((await raw(lan, 'GET', '/api/routes', { host: 'ivr.example.lan:12121' })).status).toBe(200);
    expect((await raw(lan, 'GET', '/api/routes', { host: 'a.pbx.example' })).status).toBe(200);
    expect((await raw(lan, 'GET', '/api/routes', { host: 'pbx.example' })).status).toBe(403);
    const proxied = {
      host: 'ivr.example.lan',
      origin: 'https://ivr.example.com',
      'content-type': 'application/json',
    };
    expect((await raw(lan, 'PUT', '/api/routes', proxied, '[]')).status).toBe(200);
    expect(
      (await raw(lan, 'PUT', '/api/routes', { ...proxied, origin: 'https://x.example.com' }, '[]')).status,
    ).toBe(403);
  });
});
