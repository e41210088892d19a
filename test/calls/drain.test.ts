// SIGTERM with a live call: `ivr serve` refuses new INVITEs with 503, lets the call finish, exits 0, and the
// call log row and trace are in the SQLite file afterwards.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killPeers, runSipp } from '../media/embedded/sip/peers.ts';
import { isRunning, killServed, serveChild } from '../cli/serve-child.ts';
import { getJson, ROOT, runCueSipp, tempDir, until } from './harness.ts';

const dir = tempDir('ivr-calls-drain-');

afterEach(() => killPeers());
afterAll(() => {
  killServed();
  rmSync(dir, { recursive: true, force: true });
});

// Waits as long as the caller needs for one key, then hangs up.
const FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:field name="key" length="1" inputexpires="60000"/><tns:hangup/></tns:form>
</tns:vxml>`;

const serve = (args: string[]) =>
  serveChild(args, { IVR_RECORDINGS: join(dir, 'rec'), IVR_VOICEMAIL: join(dir, 'voicemail') });

describe('ivr serve on SIGTERM', () => {
  it('refuses new calls with 503, lets the live call finish, exits 0, and the call is in the DB', async () => {
    const flow = join(dir, 'flow.xml');
    const db = join(dir, 'ivr.db');
    writeFileSync(flow, FLOW);
    const s = serve(
      ['--flow', flow, '--sounds', join(ROOT, 'sounds'), '--db', db, '--host', '127.0.0.1'].concat([
        '--http-port',
        '0',
        '--sip-port',
        '0',
      ]),
    );
    const m = await s.output(/HTTP on http:\/\/127\.0\.0\.1:(\d+), SIP on 127\.0\.0\.1:(\d+)/);
    const [http, sip] = [Number(m[1]), Number(m[2])];
    const target = `127.0.0.1:${sip}`;

    const live = await runCueSipp(dir, 'uac_key_on_cue.xml', target, { service: '1000' });
    await until(
      async () => (await getJson<{ calls: number }>(http, '/healthz')).calls === 1,
      10_000,
      'the call to be answered',
    );
    s.child.kill('SIGTERM');
    await s.output(/SIGTERM: draining calls/);

    const late = await runSipp('uac_wait_bye.xml', target, { service: '1000', timeoutSec: 10 });
    const refused = await late.done;
    expect(refused.code).not.toBe(0);
    expect(refused.messages).toMatch(/SIP\/2\.0 503 Service Unavailable/);
    expect(isRunning(s.child)).toBe(true);

    await live.cue();
    const result = await live.done;
    expect(result.code, result.errors).toBe(0);
    expect(await s.exit).toEqual({ code: 0, signal: null });

    const store = new Database(db, { readonly: true });
    try {
      const rows = store
        .prepare("SELECT callid, state, end_reason, result FROM call_logs WHERE state = 'STATE_RECEIVED'")
        .all() as { callid: string; state: string; end_reason: string; result: string }[];
      expect(rows).toEqual([
        {
          callid: expect.any(String),
          state: 'STATE_RECEIVED',
          end_reason: 'hangup',
          result: 'state=1;key=5',
        },
      ]);
      const events = (
        store.prepare('SELECT event FROM traces WHERE callid = ? ORDER BY seq').all(rows[0].callid) as {
          event: string;
        }[]
      ).map((r) => JSON.parse(r.event) as { type: string; digits?: string });
      expect(events.filter((e) => e.type === 'collect.end').map((e) => e.digits)).toEqual(['5']);
      expect(events.map((e) => e.type)).toContain('hangup');
    } finally {
      store.close();
    }
  });
});
