// The request guard's rules, one by one, on a small Hono app (the real runtime is in guard-http.test.ts).
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  allowedHostsFor,
  changesState,
  hasDotSegment,
  hostAllowed,
  originOf,
  requestGuard,
  type Refusal,
} from '../../runtime/api/guard.ts';

describe('hostAllowed', () => {
  const patterns = ['localhost', '127.0.0.1', '[::1]', 'ivr.example.com:8443', '*.pbx.example'];
  it.each([
    ['localhost', true],
    ['LOCALHOST:12121', true],
    ['127.0.0.1:1', true],
    ['[::1]:12121', true],
    ['ivr.example.com:8443', true],
    ['ivr.example.com', false],
    ['ivr.example.com:443', false],
    ['a.pbx.example', true],
    ['a.b.pbx.example:80', true],
    ['pbx.example', false],
    ['evilpbx.example', false],
    ['evil.example', false],
    ['localhost.evil.example', false],
    ['evil@localhost', false],
    ['localhost/x', false],
    ['', false],
  ])('%s -> %s', (host, expected) => {
    expect(hostAllowed(host, patterns)).toBe(expected);
  });

  it('takes * as any name', () => {
    expect(hostAllowed('anything.example:1', ['*'])).toBe(true);
    expect(hostAllowed('bad name', ['*'])).toBe(false);
  });
});

describe('allowedHostsFor', () => {
  it('adds the listening address only when it is a specific one', () => {
    expect(allowedHostsFor('127.0.0.1')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostsFor('0.0.0.0')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostsFor('::')).toEqual(['localhost', '127.0.0.1', '[::1]']);
    expect(allowedHostsFor('192.168.1.20', ['IVR.lan'])).toEqual([
      'localhost',
      '127.0.0.1',
      '[::1]',
      '192.168.1.20',
      'ivr.lan',
    ]);
    expect(allowedHostsFor('fe80::1')).toContain('[fe80::1]');
  });
});

describe('originOf', () => {
  it('normalises web origins and refuses the rest', () => {
    expect(originOf('HTTP://Example.COM:80')).toBe('http://example.com');
    expect(originOf('https://a.example:8443')).toBe('https://a.example:8443');
    expect(originOf('null')).toBeUndefined();
    expect(originOf('file://')).toBeUndefined();
    expect(originOf('chrome-extension://abc')).toBeUndefined();
  });
});

describe('hasDotSegment', () => {
  it.each([
    ['/sounds/../../etc/passwd', true],
    ['/..', true],
    ['/a/./b', true],
    ['/%2e%2e/x', true],
    ['/%2E./x', true],
    ['/a\\..\\b', true],
    ['http://host/a/../b', true],
    ['/a/b?x=/../', false],
    ['/a/..b/c', false],
    ['/file.wav', false],
    ['/', false],
  ])('%s -> %s', (target, expected) => {
    expect(hasDotSegment(target)).toBe(expected);
  });
});

/** A runtime-like app: a read route, a write route, a state-changing GET family and a form-post family. */
function app(options: Parameters<typeof requestGuard>[0] = {}): Hono {
  const a = new Hono();
  a.get('/healthz', (c) => c.text('ok'));
  a.use('*', requestGuard(options));
  a.use('/bridge/callctrl', changesState());
  a.get('/bridge/callctrl', (c) => c.text('dialled'));
  a.get('/Oms/RecordPlayerSvlt', (c) => c.html('<audio>'));
  a.post('/api/flows', (c) => c.json({ id: 'x' }, 201));
  a.post('/bridge/ToneFileSvlt', (c) => c.text('200'));
  return a;
}

const at = (path: string) => `http://localhost${path}`;

describe('requestGuard', () => {
  it('lets a server place a call with a GET, but not a page on another site', async () => {
    const a = app();
    expect((await a.request(at('/bridge/callctrl?opt=CLICK_TO_DIAL'))).status).toBe(200);
    const foreign: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors', 'sec-fetch-dest': 'image' },
      { 'sec-fetch-site': 'same-site', 'sec-fetch-mode': 'navigate' },
      { origin: 'http://evil.example' },
    ];
    for (const headers of foreign) {
      const res = await a.request(at('/bridge/callctrl?opt=CLICK_TO_DIAL'), { headers });
      expect(res.status).toBe(403);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    }
    for (const site of ['same-origin', 'none']) {
      const res = await a.request(at('/bridge/callctrl'), { headers: { 'sec-fetch-site': site } });
      expect(res.status, site).toBe(200);
    }
  });

  it('opens a read-only page from a cross-site link', async () => {
    const headers = { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    expect((await app().request(at('/Oms/RecordPlayerSvlt?callid=1'), { headers })).status).toBe(200);
  });

  it('lets integrators post the manual forms, but not pages on another site', async () => {
    const a = app({ formPosts: ['/bridge/ToneFileSvlt'] });
    const form = new FormData();
    form.set('title', 'x');
    expect((await a.request(at('/bridge/ToneFileSvlt'), { method: 'POST', body: form })).status).toBe(200);
    const evil = { origin: 'http://evil.example' };
    const posted = await a.request(at('/bridge/ToneFileSvlt'), { method: 'POST', body: form, headers: evil });
    expect(posted.status).toBe(403);
    // Elsewhere a form post needs a header a form cannot send.
    expect((await a.request(at('/api/flows'), { method: 'POST', body: form })).status).toBe(403);
  });

  it('counts Authorization, X-Requested-With and non-form content types as not a form post', async () => {
    const a = app();
    const marked: Record<string, string>[] = [
      { authorization: 'Bearer k' },
      { 'x-requested-with': 'x' },
      { 'content-type': 'application/json' },
      { 'content-type': 'text/xml; charset=utf-8' },
    ];
    for (const headers of marked) {
      expect((await a.request(at('/api/flows'), { method: 'POST', body: '{}', headers })).status).toBe(201);
    }
    for (const type of ['text/plain', 'TEXT/PLAIN; charset=utf-8', 'application/x-www-form-urlencoded']) {
      const headers = { 'content-type': type };
      expect((await a.request(at('/api/flows'), { method: 'POST', body: '{}', headers })).status).toBe(403);
    }
  });

  it('takes the configured origins, and the own origin on either scheme', async () => {
    const a = app({ allowedOrigins: ['https://ivr.example.com'] });
    const post = (origin: string) =>
      a.request(at('/api/flows'), {
        method: 'POST',
        body: '{}',
        headers: { origin, 'content-type': 'application/json' },
      });
    expect((await post('https://ivr.example.com')).status).toBe(201);
    expect((await post('http://localhost')).status).toBe(201);
    expect((await post('https://localhost')).status).toBe(201);
    expect((await post('http://localhost:8080')).status).toBe(403);
    expect((await post('null')).status).toBe(403);
  });

  it('answers JSON under /api and plain text elsewhere, through a refusal that can be replaced', async () => {
    const evil = { host: 'evil.example' };
    const json = await app().request('http://evil.example/api/flows', { headers: evil });
    expect(await json.json()).toEqual({ error: 'host name not allowed (see http.allowedHosts)' });
    const text = await app().request('http://evil.example/Oms/RecordPlayerSvlt', { headers: evil });
    expect(await text.text()).toBe('403\nhost name not allowed (see http.allowedHosts)\n');
    const seen: string[] = [];
    const refusal: Refusal = (c, status, reason) => c.text(`${status} ${reason}`, status === 404 ? 404 : 421);
    const swapped = app({ refusal, onRefused: (r) => seen.push(`${r.status} ${r.path}`) });
    const res = await swapped.request('http://evil.example/bridge/callctrl', { headers: evil });
    expect(res.status).toBe(421);
    expect(seen).toEqual(['403 /bridge/callctrl']);
  });

  it('checks the host of an absolute-form target as well as the Host header', async () => {
    const res = await app().request('http://evil.example/api/flows', { headers: { host: 'localhost' } });
    expect(res.status).toBe(403);
  });
});
