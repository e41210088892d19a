// Hang-up at any moment ends the session cleanly: no timers, holds, listeners or requests left behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSession } from '../../runtime/interpreter/session.ts';
import { SimLeg } from '../../runtime/media/sim/sim-leg.ts';
import { VirtualClock } from '../../runtime/media/sim/virtual-clock.ts';
import { checkServer, leftovers, makeSounds, simulate, xml, type CheckServer } from './session-harness.ts';

const sounds = makeSounds();
const soundRoot = sounds.root;
let server: CheckServer;
/** Resolves when the server sees the pending check request's connection close. */
let requestClosed: Promise<void>;
let markClosed: () => void = () => undefined;

beforeAll(async () => {
  server = await checkServer((req) => {
    // Never answers: only the client can end this request.
    req.socket.on('close', () => markClosed());
  });
});
afterAll(async () => {
  await server.close();
  sounds.cleanup();
});

const clean = { timers: 0, holds: 0, listeners: 0 };

const flow = () =>
  xml(`<tns:form id="main">
    <tns:prompt bargein="false"><tns:audio src="[FILE_PATH]/long.wav"/></tns:prompt>
    <tns:field name="code" length="4" inputexpires="5000" check="${server.url}/check">
      <tns:prompt><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt></tns:field>
    <tns:assign name="after" expr="1"/>
  </tns:form>`);

/** Real (Node) timers currently active. */
function realTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('hang-up', () => {
  it('during a prompt stops playback and ends the session', async () => {
    const run = await simulate(flow(), {
      soundRoot,
      onEvent: (ev, { leg, clock }) => {
        if (ev.type === 'prompt.start' && ev.item === '0')
          clock.setTimeout(() => leg.hangupFromCaller(), 3000);
      },
    });
    expect(run.result.endReason).toBe('caller-hangup');
    expect(run.of('prompt.end')[0]).toMatchObject({ reason: 'hungup', t: 3000 });
    expect(run.leg.played[0].playedMs).toBe(3000);
    expect(run.of('hangup')[0]).toMatchObject({ reason: 'caller-hangup', t: 3000 });
    expect(run.result.vars.after).toBeUndefined();
    expect(leftovers(run)).toEqual(clean);
  });

  it('during collection (the caller script hangs up) ends without input or check', async () => {
    const run = await simulate(flow(), { soundRoot, keys: '12!' });
    expect(run.of('collect.end')[0]).toMatchObject({ reason: 'hangup', digits: '12' });
    expect(run.of('check.request')).toHaveLength(0);
    expect(run.result.endReason).toBe('caller-hangup');
    expect(run.result.result).toBe('state=1');
    expect(leftovers(run)).toEqual(clean);
  });

  it('during a check request aborts the request', async () => {
    requestClosed = new Promise((resolve) => (markClosed = resolve));
    const timersBefore = realTimers();
    const run = await simulate(flow(), {
      soundRoot,
      keys: '1234',
      check: { timeoutMs: 60_000 },
      onEvent: (ev, { leg }) => {
        // The request is on its way; hang up once the server has it.
        if (ev.type === 'check.request') {
          const wait = setInterval(() => {
            if (server.requests.length > 0) {
              clearInterval(wait);
              leg.hangupFromCaller();
            }
          }, 5);
        }
      },
    });
    await requestClosed;
    expect(run.of('check.response')[0]).toMatchObject({ error: 'E_CHECK_ABORTED', value: 'CHECK_ERROR' });
    expect(run.result.endReason).toBe('caller-hangup');
    expect(run.result.vars.after).toBeUndefined();
    expect(leftovers(run)).toEqual(clean);
    // The 60 s request timer was cleared.
    expect(realTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('an abort signal hangs up and ends with aborted', async () => {
    const clock = new VirtualClock();
    const leg = new SimLeg({ clock });
    const abort = new AbortController();
    clock.setTimeout(() => abort.abort(), 1500);
    const result = await clock.run(
      runSession({ document: flow(), leg, clock, soundRoot, signal: abort.signal }),
    );
    expect(result.endReason).toBe('aborted');
    expect(leg.state).toBe('ended');
    expect(leg.hangupCause).toBe('shutdown');
    expect(clock.now()).toBe(1500);
    expect([clock.pendingTimers(), leg.listenerCount()]).toEqual([0, 0]);
  });

  it('a leg that already ended ends the session at once', async () => {
    const clock = new VirtualClock();
    const leg = new SimLeg({ clock });
    leg.hangupFromCaller();
    const result = await clock.run(runSession({ document: flow(), leg, clock, soundRoot }));
    expect(result.endReason).toBe('caller-hangup');
    expect(leg.played).toHaveLength(0);
  });

  it('a caller who never presses a key ends on the no-input cap', async () => {
    const loop = xml(`<tns:form id="main"><tns:field name="x" length="1" inputexpires="1000">
      <tns:prompt repeat="2"><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt></tns:field><tns:goto next="#main"/></tns:form>`);
    const run = await simulate(loop, { soundRoot });
    expect(run.result.endReason).toBe('no-input-budget');
    expect(run.of('collect.end')).toHaveLength(20);
    // 20 turns of two rounds (1000 ms prompt + 1000 ms wait).
    expect(run.clock.now()).toBe(20 * 4000);
    expect(leftovers(run)).toEqual(clean);
  });
});
