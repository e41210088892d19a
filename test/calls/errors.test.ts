// Live calls that leave the happy path: the caller hangs up during a prompt or during a check request; keys
// arrive by SIP INFO or as in-band tones instead of RFC 4733 events.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/server.ts';
import { killPeers, runSipp, waitFor } from '../media/embedded/sip/peers.ts';
import {
  eventsOf,
  foodOrderingFlow,
  lastCall,
  runCueSipp,
  scenario,
  startCallRuntime,
  tempDir,
} from './harness.ts';
import { writeDigitsPcap, writeTonesPcap } from './pcap.ts';

const flow = (body: string) =>
  `<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main">${body}</tns:form></tns:vxml>`;

/** A check backend that holds every request until the test releases it. */
interface HeldBackend {
  port: number;
  /** Resolves with the query of the next request to arrive. */
  next(): Promise<URLSearchParams>;
  /** Answers every held request with `body`. */
  release(body: string): void;
  close(): Promise<void>;
}

async function startHeldBackend(): Promise<HeldBackend> {
  const held: ServerResponse[] = [];
  let waiter: ((q: URLSearchParams) => void) | undefined;
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    held.push(res);
    waiter?.(new URL(req.url ?? '/', 'http://x').searchParams);
    waiter = undefined;
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    next: () => new Promise((done) => (waiter = done)),
    release: (body) => {
      for (const res of held.splice(0)) if (!res.destroyed) res.end(body);
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

const dir = tempDir('ivr-calls-errors-');
let runtime: Runtime;
let held: HeldBackend;
const target = () => `127.0.0.1:${runtime.sip!.port}`;

beforeAll(async () => {
  held = await startHeldBackend();
  runtime = await startCallRuntime(dir, [
    // The food-ordering flow: its first prompt (menu.wav) lasts 12 s.
    { id: 'food-ordering', number: '1000', xml: foodOrderingFlow(held.port) },
    {
      id: 'slow-check',
      number: '1001',
      xml: flow(
        `<tns:field name="pin" length="4" check="http://127.0.0.1:${held.port}/check?a=pin"/>` +
          `<tns:assign name="after" expr="'reached'"/><tns:hangup/>`,
      ),
    },
    { id: 'two-keys', number: '1002', xml: flow('<tns:field name="pin" length="2"/><tns:hangup/>') },
    { id: 'three-keys', number: '1003', xml: flow('<tns:field name="code" length="3"/><tns:hangup/>') },
  ]);
});
afterEach(() => killPeers());
afterAll(async () => {
  await runtime?.stop();
  await held?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the caller hangs up', () => {
  it('during a prompt: the prompt ends hungup, no check is made, the call is logged as answered', async () => {
    const sipp = await runCueSipp(dir, 'uac_hangup_on_cue.xml', target(), { service: '1000' });
    await sipp.cue();
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'caller-hangup',
      flowId: 'food-ordering',
    });
    expect(eventsOf(trace, 'prompt.end')).toEqual([expect.objectContaining({ reason: 'hungup' })]);
    expect(eventsOf(trace, 'check.request')).toEqual([]);
    expect(eventsOf(trace, 'error')).toEqual([]);
  });

  it('during a check request: the call ends without waiting for the answer and is logged', async () => {
    writeDigitsPcap(join(dir, 'digits.pcap'), '2468');
    const request = held.next();
    const sipp = await runCueSipp(dir, 'uac_digits_hangup_on_cue.xml', target(), {
      service: '1001',
      vars: { DIR: dir },
    });
    const query = await request;
    expect(query.get('input')).toBe('2468');
    await sipp.cue();
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    held.release('TOO_LATE');
    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({ state: 'STATE_RECEIVED', endReason: 'caller-hangup', flowId: 'slow-check' });
    expect(query.get('callid')).toBe(row.callid);
    expect(eventsOf(trace, 'collect.end').map((e) => e.digits)).toEqual(['2468']);
    expect(eventsOf(trace, 'check.request')).toHaveLength(1);
    expect(eventsOf(trace, 'check.response')).toEqual([
      expect.objectContaining({ error: 'E_CHECK_ABORTED', value: 'CHECK_ERROR' }),
    ]);
    expect(eventsOf(trace, 'assign')).toEqual([]);
    expect(eventsOf(trace, 'error')).toEqual([]);
  });
});

describe('keys by other means', () => {
  it('takes SIP INFO keys (dtmf-relay and application/dtmf) through the IVR', async () => {
    const sipp = await runSipp('uac_info.xml', target(), { service: '1002' });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({ state: 'STATE_RECEIVED', endReason: 'hangup', result: 'state=1;pin=47' });
    expect(eventsOf(trace, 'collect.end').map((e) => [e.digits, e.reason])).toEqual([['47', 'length']]);
  });

  it('hears in-band DTMF tones when the caller offers no telephone-event', async () => {
    writeTonesPcap(join(dir, 'tones.pcap'), '159');
    const sipp = await runSipp(scenario(dir, 'uac_inband.xml', { DIR: dir }), target(), { service: '1003' });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({ state: 'STATE_RECEIVED', result: 'state=1;code=159' });
    expect(eventsOf(trace, 'collect.end').map((e) => [e.digits, e.reason])).toEqual([['159', 'length']]);
  });
});
