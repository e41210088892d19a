// Check URLs against real HTTP servers on 127.0.0.1: parameters, answers, and every way a check can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestCheck } from '../../runtime/interpreter/check-client.ts';
import { UrlPolicy } from '../../runtime/net/url-policy.ts';
import { checkServer, leftovers, makeSounds, simulate, xml, type CheckServer } from './session-harness.ts';

const sounds = makeSounds();
let server: CheckServer;
/** Responses that never finish, ended when the test is over. */
const hanging = new Set<() => void>();

beforeAll(async () => {
  server = await checkServer((req, res, url) => {
    const mode = url.searchParams.get('mode');
    if (mode === 'ok') res.end(`  ${url.searchParams.get('input') === '42' ? 'FORTY_TWO' : 'OTHER'}\n`);
    else if (mode === 'utf8') res.end('已确认');
    else if (mode === 'status') res.writeHead(500).end('oops');
    else if (mode === 'redirect') res.writeHead(302, { location: `/?mode=ok` }).end();
    else if (mode === 'big') res.end('x'.repeat(1025));
    else if (mode === 'bigchunked') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('y'.repeat(800));
      res.write('y'.repeat(800));
      hanging.add(() => res.end());
    } else if (mode === 'exact') res.end('z'.repeat(1024));
    else if (mode === 'hang') hanging.add(() => res.end('late'));
    else res.writeHead(404).end();
  });
});
afterAll(async () => {
  for (const end of hanging) end();
  await server.close();
  sounds.cleanup();
});

describe('requestCheck', () => {
  it('returns the trimmed body of a 2xx answer', async () => {
    const out = await requestCheck(`${server.url}/?mode=ok&input=42`);
    expect(out).toMatchObject({ ok: true, status: 200, body: 'FORTY_TWO' });
    expect(await requestCheck(`${server.url}/?mode=utf8`)).toMatchObject({ ok: true, body: '已确认' });
    expect(await requestCheck(`${server.url}/?mode=exact`)).toMatchObject({
      ok: true,
      body: 'z'.repeat(1024),
    });
  });

  it.each([
    ['status', 'E_CHECK_STATUS', 500],
    ['redirect', 'E_CHECK_REDIRECT', 302],
    ['big', 'E_CHECK_TOO_LARGE', 200],
    ['bigchunked', 'E_CHECK_TOO_LARGE', 200],
  ])('mode=%s fails with %s', async (mode, code, status) => {
    const out = await requestCheck(`${server.url}/?mode=${mode}`);
    expect(out).toMatchObject({ ok: false, code, status });
  });

  it('times out (real time) on a server that does not answer', async () => {
    const out = await requestCheck(`${server.url}/?mode=hang`, { timeoutMs: 150 });
    expect(out).toMatchObject({ ok: false, code: 'E_CHECK_TIMEOUT' });
    expect(out.latencyMs).toBeGreaterThanOrEqual(140);
  });

  it('refuses URLs the policy refuses without a request', async () => {
    const before = server.requests.length;
    const policy = new UrlPolicy({ allow: ['checks.example.com'] });
    expect(await requestCheck(`${server.url}/?mode=ok`, { policy })).toMatchObject({
      ok: false,
      code: 'E_CHECK_POLICY',
    });
    expect(await requestCheck('file:///etc/passwd')).toMatchObject({ ok: false, code: 'E_CHECK_POLICY' });
    expect(await requestCheck(`http://u:p@127.0.0.1:1/`)).toMatchObject({
      ok: false,
      code: 'E_CHECK_POLICY',
    });
    expect(server.requests.length).toBe(before);
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await checkServer(() => undefined);
    const url = closed.url;
    await closed.close();
    expect(await requestCheck(`${url}/`)).toMatchObject({ ok: false, code: 'E_CHECK_NETWORK' });
  });
});

function checkDoc(query: string, name = 'code') {
  return xml(`<tns:form id="main">
    <tns:field name="${name}" length="4" check="${server.url}/svc?${query}">
      <tns:prompt><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt></tns:field>
    <tns:if cond="input_checked == 'FORTY_TWO'"><tns:goto next="#good"/>
      <tns:elseif cond="input_checked == 'CHECK_ERROR'"><tns:goto next="#bad"/></tns:elseif></tns:if>
  </tns:form>
  <tns:form id="good"><tns:hangup/></tns:form>
  <tns:form id="bad"><tns:hangup/></tns:form>`);
}

describe('field check', () => {
  it('GETs the check URL with the decided parameters; the answer becomes input_checked and <name>_checked', async () => {
    const run = await simulate(checkDoc('mode=ok&amp;a=member'), { soundRoot: sounds.root, keys: '42#' });
    const req = server.requests.at(-1) as URL;
    expect(Object.fromEntries(req.searchParams)).toEqual({
      mode: 'ok',
      a: 'member',
      input: '42',
      caller: '13800000000',
      callee: '4000',
      callid: 'call-1@test',
      form: 'main',
      field: 'code',
    });
    expect(run.result.vars.input_checked).toBe('FORTY_TWO');
    expect(run.result.vars.code_checked).toBe('FORTY_TWO');
    expect(run.of('form.enter').at(-1)?.form).toBe('good');
    const [request, response] = [run.of('check.request')[0], run.of('check.response')[0]];
    expect(response).toMatchObject({ status: 200, body: 'FORTY_TWO', value: 'FORTY_TWO' });
    // Virtual time stands still while the real request is pending.
    expect(response.t).toBe(request.t);
    expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it.each([
    ['mode=status', 'E_CHECK_STATUS'],
    ['mode=redirect', 'E_CHECK_REDIRECT'],
    ['mode=big', 'E_CHECK_TOO_LARGE'],
    ['mode=hang', 'E_CHECK_TIMEOUT'],
  ])('%s sets CHECK_ERROR and traces %s', async (query, error) => {
    const run = await simulate(checkDoc(query), {
      soundRoot: sounds.root,
      keys: '42#',
      // Only the hanging backend needs the short timeout; the others must not hit it on a loaded machine.
      check: { timeoutMs: error === 'E_CHECK_TIMEOUT' ? 200 : 10_000 },
    });
    expect(run.result.vars.input_checked).toBe('CHECK_ERROR');
    expect(run.of('check.response')[0]).toMatchObject({ error, value: 'CHECK_ERROR' });
    expect(run.of('form.enter').at(-1)?.form).toBe('bad');
    expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it('a URL refused by the policy sets CHECK_ERROR', async () => {
    const run = await simulate(checkDoc('mode=ok'), {
      soundRoot: sounds.root,
      keys: '42#',
      check: { policy: new UrlPolicy({ allowPrivate: false }) },
    });
    expect(run.of('check.response')[0]).toMatchObject({ error: 'E_CHECK_POLICY', value: 'CHECK_ERROR' });
  });

  it('a field named input sets only input_checked', async () => {
    const run = await simulate(checkDoc('mode=ok', 'input'), { soundRoot: sounds.root, keys: '42#' });
    expect(run.result.vars.input_checked).toBe('FORTY_TWO');
    expect(run.result.vars.input_input_checked).toBeUndefined();
    expect(run.result.result).toBe('state=1');
  });
});
