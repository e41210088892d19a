// SMS self-service (manual section 23) with real peers on 127.0.0.1: sipp sends SIP MESSAGEs to the embedded engine,
// a real HTTP backend answers the runtime's `smsquery`, and the answer comes back to sipp as a MESSAGE (not for a
// 403); SMS gateways use `/bridge/SmsQuerySvlt`.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../../runtime/server.ts';
import { runSipp, SIPP_DIR } from '../../media/embedded/sip/peers.ts';
import { startCallRuntime, tempDir } from '../../calls/harness.ts';

/** Every query the backend got, as its URL's parameters. */
const queries: Record<string, string>[] = [];
let backend: Server;
let runtime: Runtime;
let dir: string;
let http: string;

beforeAll(async () => {
  backend = createServer((req, res) => {
    const q = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
    queries.push(q);
    if (q.contant === 'silent') res.writeHead(403).end('no reply wanted');
    else
      res
        .writeHead(200, { 'content-type': 'text/plain; charset=utf-8' })
        .end(`genuine: ${q.contant} from ${q.telnum} on ${q.channel}\n`);
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  const port = (backend.address() as AddressInfo).port;
  dir = tempDir('ivr-sms-');
  runtime = await startCallRuntime(dir, [], {
    'callCenter.sms.url': `http://127.0.0.1:${port}/sms?key=k1`,
    'callCenter.sms.channels': ['2005', 'goip-1'],
  });
  http = `http://127.0.0.1:${runtime.http.port}`;
});
afterAll(async () => {
  await runtime?.stop();
  await new Promise((r) => backend?.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('SMS over SIP MESSAGE', () => {
  it('forwards each SMS to the backend and sends its answer back, but nothing for a 403', async () => {
    const scenario = relative(SIPP_DIR, join(import.meta.dirname, 'fixtures', 'uac_sms.xml'));
    const sipp = await runSipp(scenario, `127.0.0.1:${runtime.sip!.port}`, {
      service: '2005',
      timeoutSec: 20,
    });
    const r = await sipp.done;
    // sipp fails the call (exit 1) when the reply's body does not match or an unexpected MESSAGE comes first.
    expect(r.code, r.errors).toBe(0);
    expect(r.messages).toContain('genuine: 54756214 from 13500000009 on 2005');
    expect(queries.slice(0, 2)).toEqual([
      { key: 'k1', method: 'smsquery', telnum: '13500000009', contant: 'silent', channel: '2005' },
      { key: 'k1', method: 'smsquery', telnum: '13500000009', contant: '54756214', channel: '2005' },
    ]);
  });
});

describe('/bridge/SmsQuerySvlt (SMS gateways)', () => {
  const ask = async (form: Record<string, string>) => {
    const res = await fetch(`${http}/bridge/SmsQuerySvlt`, {
      method: 'POST',
      body: new URLSearchParams(form),
    });
    return { status: res.status, text: await res.text() };
  };

  it('answers the text to send back, UTF-8 both ways; 204 when the backend answers 403', async () => {
    expect(await ask({ telnum: '13800000000', contant: '查询 88', channel: 'goip-1' })).toEqual({
      status: 200,
      text: 'genuine: 查询 88 from 13800000000 on goip-1',
    });
    expect(queries.at(-1)).toMatchObject({ contant: '查询 88', channel: 'goip-1' });
    expect(await ask({ telnum: '13800000000', contant: 'silent', channel: 'goip-1' })).toEqual({
      status: 204,
      text: '',
    });
  });

  it('refuses channels that are not SMS channels (404) and malformed requests (400)', async () => {
    const before = queries.length;
    expect((await ask({ telnum: '13800000000', contant: 'x', channel: '9999' })).status).toBe(404);
    expect((await ask({ telnum: 'abc', contant: 'x', channel: 'goip-1' })).status).toBe(400);
    expect((await ask({ telnum: '13800000000', channel: 'goip-1' })).status).toBe(400);
    expect(queries.length).toBe(before);
  });
});
