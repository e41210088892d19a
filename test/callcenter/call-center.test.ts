// The call center on simulated legs: routing by called number, refusal, call logs with legs and bounded traces,
// the event bus's order, commit before release, and draining on shutdown.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../runtime/media/contract.ts';
import { SimLeg } from '../../runtime/media/sim/sim-leg.ts';
import { openStore, type Store } from '../../runtime/callcenter/store/db.ts';
import { CallCenter } from '../../runtime/callcenter/call-center.ts';
import type { CallCenterEvent } from '../../runtime/callcenter/events.ts';
import { FlowRegistry } from '../../runtime/callcenter/flow-registry.ts';
import { createLogger } from '../../runtime/log.ts';

const QUICK = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:assign name="x" expr="'1'"/><tns:hangup/></tns:form></tns:vxml>`;
const WAITS = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:field name="pin" length="4" inputexpires="600000"/></tns:form></tns:vxml>`;
const LOOPS = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:assign name="x" expr="'1'"/><tns:goto next="#main"/></tns:form></tns:vxml>`;

const dir = mkdtempSync(join(tmpdir(), 'ivr-calls-'));
let store: Store;
let registry: FlowRegistry;

function makeCalls(maxTraceEvents = 5000) {
  return new CallCenter({
    store,
    log: createLogger('silent'),
    host: 'test.host',
    maxTraceEvents,
    flows: registry,
    sounds: { ringback: '/nonexistent/ringback.wav', notReached: '/nonexistent/not_reached.wav' },
    ringSec: 10,
    hasTrunk: false,
    session: { soundRoot: dir, maxSteps: 200 },
  });
}

async function publish(id: string, xml: string, number: string) {
  await store.flows.create({ id, name: id, xml, now: Date.now() });
  await store.flows.addVersion(id, { xml, now: Date.now() });
  await store.routes.upsert({ number, flowId: id });
}

const leg = (to: string) => new SimLeg({ clock: realClock, state: 'ringing', from: '555', to });

/** Waits for a condition checked after each turn of the event loop, with a deadline. */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setImmediate(r));
  }
}

beforeAll(async () => {
  store = await openStore(join(dir, 'calls.db'));
  registry = new FlowRegistry(store);
  await publish('quick', QUICK, '1000');
  await publish('waits', WAITS, '1001');
  await publish('loops', LOOPS, '1002');
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CallCenter', () => {
  it('answers a routed call with the published flow and logs it', async () => {
    const calls = makeCalls();
    const l = leg('1000');
    calls.incoming(l);
    await until(() => l.state === 'ended' && calls.count === 0);
    expect(l.callId).toMatch(/^[0-9a-f-]{36}@test\.host$/);
    expect(await store.callLogs.get(l.callId)).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'hangup',
      flowId: 'quick',
      flowVersion: 1,
      direction: 'inbound',
      result: 'state=1',
    });
    expect((await store.traces.list(l.callId)).length).toBeGreaterThan(2);
  });

  it('refuses a number without a route and logs it as failed', async () => {
    const calls = makeCalls();
    const l = leg('9999');
    calls.incoming(l);
    await until(() => l.state === 'ended');
    expect(l.hangupCause).toBe('rejected');
    expect(await store.callLogs.get(l.callId)).toMatchObject({
      state: 'STATE_FAILED',
      endReason: 'no-route',
      answerTime: null,
    });
  });

  it('keeps at most maxTraceEvents events and marks the rest as dropped', async () => {
    const calls = makeCalls(10);
    const l = leg('1002');
    calls.incoming(l);
    await until(() => calls.count === 0 && l.state === 'ended');
    const trace = (await store.traces.list(l.callId)) as { type: string; dropped?: number }[];
    expect(trace).toHaveLength(11);
    expect(trace[10].type).toBe('trace.truncated');
    expect(trace[10].dropped).toBeGreaterThan(100);
    expect((await store.callLogs.get(l.callId))?.endReason).toBe('step-budget');
  });

  it('drains: refuses new calls, cuts live ones at the deadline and still writes their rows', async () => {
    const calls = makeCalls();
    const live = leg('1001');
    calls.incoming(live);
    await until(() => live.state === 'answered' && live.listenerCount('dtmf') > 0);
    expect(calls.count).toBe(1);
    expect(calls.registry.all().map((c) => c.view())).toEqual([
      expect.objectContaining({
        callId: live.callId,
        caller: '555',
        callee: '1001',
        flowId: 'waits',
        kind: 'inbound',
      }),
    ]);
    const draining = calls.drain(50);
    const late = leg('1000');
    calls.incoming(late);
    await until(() => late.state === 'ended');
    expect(late.hangupCause).toBe('shutdown');
    expect(await draining).toBe(1);
    expect(calls.count).toBe(0);
    expect(live.hangupCause).toBe('shutdown');
    expect(await store.callLogs.get(live.callId)).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'aborted',
    });
    expect(await store.callLogs.get(late.callId)).toMatchObject({
      state: 'STATE_FAILED',
      endReason: 'shutdown',
    });
  });

  it('drains without cutting when calls end before the deadline', async () => {
    const calls = makeCalls();
    const l = leg('1000');
    calls.incoming(l);
    expect(await calls.drain(10_000)).toBe(0);
    expect((await store.callLogs.get(l.callId))?.state).toBe('STATE_RECEIVED');
  });

  it('keeps every leg of the call with its business id, and its manual fields', async () => {
    const calls = makeCalls();
    const l = leg('1000');
    calls.incoming(l);
    await until(() => l.state === 'ended' && calls.count === 0);
    expect(await store.callLegs.list(l.callId)).toEqual([
      expect.objectContaining({
        role: 'customer',
        number: '555',
        businessId: 'maincall',
        direction: 'outgoing',
      }),
    ]);
    expect(await store.callLogs.get(l.callId)).toMatchObject({
      callType: 'LOCAL_CALL',
      id: expect.any(Number),
    });
  });

  it('announces a call on the bus in order, and commits its log before the leg is released', async () => {
    const calls = makeCalls();
    const seen: string[] = [];
    let committedAtHangup: unknown;
    const off = calls.bus.onAny((ev: CallCenterEvent) => {
      if (ev.type === 'leg.changed') seen.push(`leg:${ev.leg.status}`);
      else if (ev.type !== 'call.trace') seen.push(ev.type);
    });
    const l = leg('1000');
    l.on('hangup', () => {
      // Runs when the call center hangs the leg up: the row must already be final.
      committedAtHangup = store.callLogs.get(l.callId);
    });
    calls.incoming(l);
    await until(() => l.state === 'ended' && calls.count === 0);
    off();
    expect(seen).toEqual(['call.started', 'leg:calling', 'leg:talking', 'call.ended', 'leg:ended']);
    expect(await committedAtHangup).toMatchObject({ state: 'STATE_RECEIVED', endReason: 'hangup' });
  });

  it('ends a call whose caller hangs up during the flow as caller-hangup, and logs it', async () => {
    const calls = makeCalls();
    const l = leg('1001');
    calls.incoming(l);
    await until(() => l.state === 'answered' && l.listenerCount('dtmf') > 0);
    l.hangupFromCaller();
    await until(() => calls.count === 0);
    expect(await store.callLogs.get(l.callId)).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'caller-hangup',
      result: 'state=1',
    });
  });
});

describe('FlowRegistry', () => {
  it('runs the newest published version, also after a flow is deleted and created again under its id', async () => {
    await publish('again', QUICK, '1003');
    expect((await registry.forNumber('1003'))?.document.forms[0].items[0].type).toBe('assign');
    await store.flows.delete('again');
    expect(await registry.forNumber('1003')).toBeUndefined();
    await publish('again', WAITS, '1003');
    expect(await registry.forNumber('1003')).toMatchObject({ flowId: 'again', version: 1 });
    expect((await registry.forNumber('1003'))?.document.forms[0].items[0].type).toBe('field');
  });
});
