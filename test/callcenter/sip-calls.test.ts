// Real SIP calls into the runtime: <tns:transfer> to baresip (extension 801) and draining on shutdown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../runtime/config/load.ts';
import { createLogger } from '../../runtime/log.ts';
import { startRuntime, type Runtime } from '../../runtime/server.ts';
import { killPeers, runSipp, startBaresip, waitFor } from '../media/embedded/sip/peers.ts';

const flow = (dest: string) => `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:transfer dest="${dest}" timeout="10"/>
    <tns:assign name="after" expr="transfer_status"/>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

const WAITS = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:field name="pin" length="4" inputexpires="600000"/></tns:form>
</tns:vxml>`;

const dir = mkdtempSync(join(tmpdir(), 'ivr-transfer-'));
let runtime: Runtime;

beforeAll(async () => {
  const config = loadConfig({
    env: {},
    overrides: {
      db: join(dir, 'ivr.db'),
      recordings: join(dir, 'rec'),
      voicemail: join(dir, 'voicemail'),
      'http.port': 0,
      'sip.port': 0,
      'sip.host': '127.0.0.1',
      'calls.drainDeadlineMs': 1500,
      extensions: [
        { number: '801', password: 'pw-801-x' },
        { number: '802', password: 'pw-802-x' },
      ],
    },
  });
  runtime = await startRuntime(config, { log: createLogger('silent') });
  for (const [id, number, dest] of [
    ['to-801', '1000', '801'],
    ['to-802', '1001', '802'],
  ]) {
    await runtime.store.flows.create({ id, name: id, xml: flow(dest), now: Date.now() });
    await runtime.store.flows.addVersion(id, { xml: flow(dest), now: Date.now() });
    await runtime.store.routes.upsert({ number, flowId: id });
  }
  await runtime.store.flows.create({ id: 'waits', name: 'waits', xml: WAITS, now: Date.now() });
  await runtime.store.flows.addVersion('waits', { xml: WAITS, now: Date.now() });
  await runtime.store.routes.upsert({ number: '1002', flowId: 'waits' });
});
afterEach(() => killPeers());
afterAll(async () => {
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
});

const lastCall = async () => (await runtime.store.callLogs.list(1, 0))[0];
const transferEvents = async (callid: string) =>
  ((await runtime.store.traces.list(callid)) as { type: string; status?: string }[]).filter(
    (e) => e.type === 'transfer',
  );

describe('transfer', () => {
  it('bridges the caller to a registered extension and logs the call when the agent hangs up', async () => {
    const phone = await startBaresip({
      registrar: `127.0.0.1:${runtime.sip!.port}`,
      user: '801',
      password: 'pw-801-x',
    });
    try {
      await waitFor(() => /200 OK|registered/i.test(phone.output()), 10_000, 'baresip registration');
      const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${runtime.sip!.port}`, {
        service: '1000',
        timeoutSec: 30,
      });
      await waitFor(() => /established/i.test(phone.output()), 15_000, 'the agent answering');
      expect(runtime.calls.count).toBe(1);
      await phone.stop();
      const result = await sipp.done;
      expect(result.code, result.errors).toBe(0);
      await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
      const row = await lastCall();
      expect(row).toMatchObject({
        state: 'STATE_RECEIVED',
        endReason: 'agent-hangup',
        callee: '1000',
        flowId: 'to-801',
      });
      expect(await transferEvents(row.callid)).toEqual([expect.objectContaining({ status: 'transferred' })]);
    } finally {
      await phone.stop();
    }
  });

  it('goes on with the flow when the extension is not registered', async () => {
    const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${runtime.sip!.port}`, {
      service: '1001',
      timeoutSec: 20,
    });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    const row = await lastCall();
    expect(row).toMatchObject({ endReason: 'hangup', flowId: 'to-802' });
    expect(await transferEvents(row.callid)).toEqual([expect.objectContaining({ status: 'unavailable' })]);
  });
});

describe('drain', () => {
  it('refuses new INVITEs with 503, cuts the live call at the deadline and logs it', async () => {
    const target = `127.0.0.1:${runtime.sip!.port}`;
    const live = await runSipp('uac_wait_bye.xml', target, { service: '1002', timeoutSec: 30 });
    await waitFor(() => runtime.calls.count === 1, 10_000, 'the call to be answered');
    const draining = runtime.drain();
    const late = await runSipp('uac_wait_bye.xml', target, { service: '1000', timeoutSec: 10 });
    const refused = await late.done;
    expect(refused.code).not.toBe(0);
    expect(refused.messages).toMatch(/SIP\/2\.0 503 Service Unavailable/);
    expect(await draining).toBe(1);
    const result = await live.done;
    expect(result.code, result.errors).toBe(0);
    const rows = await runtime.store.callLogs.list(2, 0);
    expect(rows.find((r) => r.callee === '1002')).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'aborted',
      flowId: 'waits',
    });
    // The refused INVITE has its row too, with the reason.
    expect(rows.find((r) => r.callee === '1000')).toMatchObject({
      state: 'STATE_FAILED',
      endReason: expect.stringMatching(/^refused 503/),
    });
  });
});
