// Hostile check backends on live calls: ten sipp callers at once key their digits into flows whose check URL never
// answers, streams 10 MB, redirects to a private address, drops the connection mid-body, or (to compare) answers
// properly. Each call gets its own failure in the trace, goes on to its next prompt and is hung up; the runtime
// reads no hostile body, closes the hanging requests at the check timeout, and the calls do not disturb one another.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallLog } from '../../runtime/callcenter/store/call-logs.ts';
import type { TraceEvent } from '../../runtime/interpreter/trace.ts';
import type { Runtime } from '../../runtime/server.ts';
import { killPeers, waitFor, type SippRun } from '../media/embedded/sip/peers.ts';
import {
  eventsOf,
  getJson,
  runCueSipp,
  startCallRuntime,
  tempDir,
  watchCalls,
  type CallWatch,
} from './harness.ts';
import { HUGE_BYTES, startHostileBackend, type HostileBackend } from './hostile-backend.ts';
import { writeDigitsPcap } from './pcap.ts';

/** The runtime's check.timeoutMs: what /hang costs a call. */
const TIMEOUT_MS = 6000;
const FAILED = '[FILE_PATH]/after_hours/not_understood.wav';
const CHECKED = '[FILE_PATH]/after_hours/goodbye.wav';

/** Each backend path, the number whose flow checks against it, and the failure its calls must see. */
const MODES = [
  { path: 'hang', number: '2001', error: 'E_CHECK_TIMEOUT' },
  { path: 'huge', number: '2002', error: 'E_CHECK_TOO_LARGE' },
  { path: 'redirect', number: '2003', error: 'E_CHECK_REDIRECT' },
  { path: 'cut', number: '2004', error: 'E_CHECK_NETWORK' },
  { path: 'ok', number: '2005', error: undefined },
] as const;
type Mode = (typeof MODES)[number];

/** Four keys checked against `/path`; a failed check plays one prompt, an answer another; then it hangs up. */
const flowFor = (port: number, path: string) => `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="code" length="4" check="http://127.0.0.1:${port}/${path}"/>
    <tns:if cond="input_checked == 'CHECK_ERROR'">
      <tns:prompt><tns:audio src="${FAILED}"/></tns:prompt>
      <tns:else><tns:prompt><tns:audio src="${CHECKED}"/></tns:prompt></tns:else>
    </tns:if>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

const dir = tempDir('ivr-calls-check-faults-');
let runtime: Runtime;
let backend: HostileBackend;
let watch: CallWatch;

beforeAll(async () => {
  backend = await startHostileBackend();
  runtime = await startCallRuntime(
    dir,
    MODES.map((m) => ({ id: `check-${m.path}`, number: m.number, xml: flowFor(backend.port, m.path) })),
    { 'check.timeoutMs': TIMEOUT_MS },
  );
  watch = watchCalls(runtime);
});
afterEach(() => killPeers());
afterAll(async () => {
  await runtime?.stop();
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Caller {
  mode: Mode;
  caller: string;
  digits: string;
  sipp: SippRun & { cue: () => Promise<void> };
}

/** A sipp caller of `mode`'s number, in the call and waiting for its cue to key `digits`. */
async function dial(mode: Mode, i: number): Promise<Caller> {
  const own = join(dir, `caller-${i}`);
  mkdirSync(own);
  const digits = [0, 1, 2, 3].map((k) => (i + k) % 10).join('');
  writeDigitsPcap(join(own, 'digits.pcap'), digits);
  const caller = `55520${String(i).padStart(2, '0')}`;
  const sipp = await runCueSipp(own, 'uac_digits_on_cue.xml', `127.0.0.1:${runtime.sip!.port}`, {
    service: mode.number,
    timeoutSec: 60,
    vars: { DIR: own, CALLER: caller },
  });
  return { mode, caller, digits, sipp };
}

/** Cues `c` to key its digits once its field takes keys (keys before that are dropped); resolves its call id. */
async function keyIn(c: Caller): Promise<string> {
  const start = await watch.until(
    (ev) => ev.type === 'call.start' && ev.caller === c.caller,
    `the call from ${c.caller}`,
  );
  await watch.until(
    (ev) => ev.type === 'collect.start' && ev.callId === start.callId,
    `${c.caller}'s field to take keys`,
  );
  await c.sipp.cue();
  return start.callId;
}

async function logOf(callId: string): Promise<{ row: CallLog; trace: TraceEvent[] }> {
  const id = encodeURIComponent(callId);
  const row = await getJson<CallLog>(runtime.http.port, `/api/calls/${id}`);
  const trace = await getJson<TraceEvent[]>(runtime.http.port, `/api/calls/${id}/trace`);
  return { row, trace };
}

describe('hostile check backends on live calls', () => {
  it('each call fails its check its own way and goes on; no hostile body is read; the calls do not mix', async () => {
    const callers = await Promise.all(MODES.flatMap((m) => [m, m]).map((m, i) => dial(m, i)));
    // The hanging checks first: every other check runs while they hold their connections.
    const hang = callers.filter((c) => c.mode.path === 'hang');
    const hangIds = await Promise.all(hang.map(keyIn));
    await waitFor(() => backend.requests.get('/hang')?.length === 2, 30_000, 'both /hang requests');
    const others = callers.filter((c) => c.mode.path !== 'hang');
    const ids = new Map([...hang.map((c, k) => [c, hangIds[k]] as const)]);
    for (const [k, id] of (await Promise.all(others.map(keyIn))).entries()) ids.set(others[k], id);

    for (const c of callers) {
      const result = await c.sipp.done;
      // The scenario passes only with the runtime's BYE: the call went on and was hung up.
      expect(result.code, `${c.mode.path} ${c.caller}: ${result.errors}`).toBe(0);
    }
    await waitFor(() => runtime.calls.count === 0, 15_000, 'every call to end');

    const responses = new Map<Caller, Extract<TraceEvent, { type: 'check.response' }>>();
    for (const c of callers) {
      const { row, trace } = await logOf(ids.get(c)!);
      const what = `${c.mode.path} ${c.caller}`;
      expect(row, what).toMatchObject({
        caller: c.caller,
        state: 'STATE_RECEIVED',
        endReason: 'hangup',
        result: `state=1;code=${c.digits}`,
      });
      expect(
        eventsOf(trace, 'collect.end').map((e) => e.digits),
        what,
      ).toEqual([c.digits]);
      const [response] = eventsOf(trace, 'check.response');
      responses.set(c, response);
      if (c.mode.error) {
        expect(response, what).toMatchObject({ error: c.mode.error, value: 'CHECK_ERROR' });
      } else {
        const answer = `OK${c.digits}`;
        expect(response, what).toMatchObject({ status: 200, body: answer, value: answer });
      }
      // The flow went on from the check to its next prompt, played it whole, and hung up.
      const after = trace.slice(trace.indexOf(response) + 1);
      expect(
        after.map((e) => e.type),
        what,
      ).toEqual(['branch', 'prompt.start', 'prompt.end', 'hangup', 'result']);
      expect(eventsOf(after, 'prompt.start')[0].sources, what).toEqual([c.mode.error ? FAILED : CHECKED]);
      expect(eventsOf(after, 'prompt.end')[0].reason, what).toBe('completed');
      expect(eventsOf(after, 'hangup')[0].reason, what).toBe('hangup');
    }

    // Each backend saw exactly its own two calls' keys.
    for (const m of MODES) {
      const inputs = (backend.requests.get(`/${m.path}`) ?? []).map((q) => q.get('input')).sort();
      const mine = callers.filter((c) => c.mode === m).map((c) => c.digits);
      expect(inputs, m.path).toEqual(mine.sort());
    }
    // /hang: the runtime gave up at its timeout and closed both connections.
    for (const c of hang) expect(responses.get(c)!.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 10);
    await waitFor(() => backend.hangsClosed === 2, 15_000, 'the runtime to close the /hang connections');
    // The other checks were answered while the hanging ones were still pending: nothing queued behind them.
    const hangEnd = Math.min(...hang.map((c) => responses.get(c)!.t));
    for (const c of others) expect(responses.get(c)!.t, c.mode.path).toBeLessThan(hangEnd);
    // /huge: the runtime stopped reading past check.maxBytes and closed the socket; what left the backend is what
    // the kernel's socket buffers held, never the whole body.
    await waitFor(() => backend.huge.every((h) => h.closed), 15_000, 'the /huge sockets to close');
    expect(backend.huge).toHaveLength(2);
    for (const h of backend.huge) {
      expect(h.finished).toBe(false);
      expect(h.written).toBeLessThan(HUGE_BYTES);
    }
    // /redirect: refused as a redirect, not followed to the private address (that would time out or fail).
    for (const c of callers.filter((c) => c.mode.path === 'redirect'))
      expect(responses.get(c)).toMatchObject({ status: 302, message: 'redirect 302 not followed' });
  }, 120_000);
});
