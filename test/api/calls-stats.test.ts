// Call logs, traces, per-form stats and /healthz over real HTTP, fed by real sessions on simulated legs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../runtime/media/contract.ts';
import { SimLeg } from '../../runtime/media/sim/sim-leg.ts';
import { checkFlow } from '../../runtime/callcenter/flow-registry.ts';
import { call, startApi, type ApiHarness } from './harness.ts';

// One field collects two digits and checks them against a port nothing listens on (CHECK_ERROR);
// the second field gets no key (no input) within 100 ms.
const FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="pin" length="2" inputexpires="2000" check="http://127.0.0.1:1/check"/>
    <tns:goto next="#ask"/>
  </tns:form>
  <tns:form id="ask">
    <tns:field name="more" length="1" inputexpires="100"/>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

let api: ApiHarness;
const callIds: string[] = [];

async function runCall(flowId: string): Promise<string> {
  const { document } = checkFlow(FLOW);
  const leg = new SimLeg({ clock: realClock, state: 'ringing', from: '13800000000', to: '1000' });
  let pressed = false;
  const { callId, done } = await api.calls.startTest(
    leg,
    { document: document!, flowId, version: 1 },
    {
      onTrace: (ev) => {
        if (ev.type === 'collect.start' && !pressed) {
          pressed = true;
          setImmediate(() => leg.pressKeys('42'));
        }
      },
    },
  );
  await done;
  return callId;
}

beforeAll(async () => {
  api = await startApi();
  await call(api.base, 'POST', '/api/flows', { id: 'stats', name: 'Stats', xml: FLOW });
  await call(api.base, 'POST', '/api/flows/stats/publish');
  callIds.push(await runCall('stats'), await runCall('stats'), await runCall('other'));
});
afterAll(async () => {
  await api.close();
});

describe('calls API', () => {
  it('answers /healthz without credentials', async () => {
    expect(await call(api.base, 'GET', '/healthz')).toMatchObject({
      status: 200,
      body: { ok: true, calls: 0 },
    });
  });

  it('lists call logs newest first with paging', async () => {
    const all = await call(api.base, 'GET', '/api/calls');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(3);
    expect(all.body.calls.map((c: { callid: string }) => c.callid).sort()).toEqual([...callIds].sort());
    const page = await call(api.base, 'GET', '/api/calls?limit=1&offset=1');
    expect(page.body.calls).toHaveLength(1);
    expect(page.body.calls[0].callid).toBe(all.body.calls[1].callid);
    expect((await call(api.base, 'GET', '/api/calls?limit=0')).status).toBe(400);
    expect((await call(api.base, 'GET', '/api/calls?offset=-1')).status).toBe(400);
    expect((await call(api.base, 'GET', '/api/calls?limit=abc')).status).toBe(400);
  });

  it('returns one call log with its result, and 404 JSON for an unknown callid', async () => {
    const id = callIds[0];
    const one = await call(api.base, 'GET', `/api/calls/${encodeURIComponent(id)}`);
    expect(one.status).toBe(200);
    expect(id).toMatch(/^[0-9a-f-]{36}@127\.0\.0\.1$/);
    expect(one.body).toMatchObject({
      callid: id,
      caller: '13800000000',
      callee: '1000',
      direction: 'test',
      state: 'STATE_RECEIVED',
      endReason: 'hangup',
      flowId: 'stats',
      flowVersion: 1,
    });
    expect(one.body.result).toBe('state=1;pin=42;more=');
    expect(one.body.endTime).toBeGreaterThanOrEqual(one.body.answerTime);
    const missing = await call(api.base, 'GET', '/api/calls/nope%40x');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBeTruthy();
  });

  it('returns the stored trace in order', async () => {
    const trace = await call(api.base, 'GET', `/api/calls/${encodeURIComponent(callIds[0])}/trace`);
    expect(trace.status).toBe(200);
    const types = trace.body.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('call.start');
    expect(types).toContain('check.response');
    expect(types[types.length - 1]).toBe('result');
    expect(trace.body.every((e: { callId: string }) => e.callId === callIds[0])).toBe(true);
    expect((await call(api.base, 'GET', '/api/calls/nope/trace')).status).toBe(404);
  });
});

describe('stats', () => {
  it('counts entries, no-input and check errors per form of one flow', async () => {
    const res = await call(api.base, 'GET', '/api/stats/nodes?flow=stats');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      main: { entered: 2, noInput: 0, checkErrors: 2 },
      ask: { entered: 2, noInput: 2, checkErrors: 0 },
    });
  });

  it('filters by time and validates the query', async () => {
    const future = Date.now() + 60_000;
    expect((await call(api.base, 'GET', `/api/stats/nodes?flow=stats&from=${future}`)).body).toEqual({});
    expect((await call(api.base, 'GET', '/api/stats/nodes')).status).toBe(400);
    expect((await call(api.base, 'GET', '/api/stats/nodes?flow=stats&from=5&to=1')).status).toBe(400);
  });
});
