// A whole food order on a live SIP call: sipp presses keys (RFC 4733) through the runtime, the interpreter calls
// the real examples backend, and the HTTP API shows the call log, the trace and the recorded order.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExamplesBackend, type RunningBackend } from '../../examples/backend.ts';
import type { Runtime } from '../../runtime/server.ts';
import { killPeers, runSipp, waitFor } from '../media/embedded/sip/peers.ts';
import { eventsOf, foodOrderingFlow, lastCall, scenario, startCallRuntime, tempDir } from './harness.ts';
import { writeDigitsPcap } from './pcap.ts';

const dir = tempDir('ivr-calls-food-');
let backend: RunningBackend;
let runtime: Runtime;

beforeAll(async () => {
  backend = await startExamplesBackend({ port: 0 });
  runtime = await startCallRuntime(dir, [
    { id: 'food-ordering', number: '1000', xml: foodOrderingFlow(backend.port) },
  ]);
});
afterEach(() => killPeers());
afterAll(async () => {
  await runtime?.stop();
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('food ordering by phone', () => {
  it('takes the member number, item 0101 and the confirmation, records the order, and hangs up', async () => {
    // Event timestamps continue across the three captures, so each key press is a new RFC 4733 event.
    writeDigitsPcap(join(dir, 'telnum.pcap'), '13800000000#', { first: 0 });
    writeDigitsPcap(join(dir, 'item.pcap'), '0101', { first: 12 });
    writeDigitsPcap(join(dir, 'confirm.pcap'), '1', { first: 16 });
    const sipp = await runSipp(
      scenario(dir, 'uac_food_order.xml', { DIR: dir }),
      `127.0.0.1:${runtime.sip!.port}`,
      { service: '1000', timeoutSec: 50 },
    );
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');

    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'hangup',
      caller: '5551234',
      callee: '1000',
      direction: 'inbound',
      flowId: 'food-ordering',
      // Every field of this flow is named `input` (or is play-only), so the result carries no fields.
      result: 'state=1',
    });
    expect(row.answerTime).not.toBeNull();

    expect(eventsOf(trace, 'form.enter').map((e) => e.form)).toEqual([
      'main',
      'input_telnum',
      'order',
      '0101',
      'input_goods_confirm',
      'finish_order',
    ]);
    // Barge-in prompts stop at the first key; the announcements without barge-in play to their end in media time.
    const ends = eventsOf(trace, 'prompt.end');
    expect(ends.map((e) => [e.form, e.reason, e.digit])).toEqual([
      ['input_telnum', 'interrupted', '1'],
      ['order', 'interrupted', '0'],
      ['0101', 'completed', undefined],
      ['input_goods_confirm', 'interrupted', '1'],
      ['finish_order', 'completed', undefined],
    ]);
    const announced = eventsOf(trace, 'prompt.start').find((e) => e.form === '0101')!;
    // goods_ok_prefix.wav + list_001.wav last 7.58 s.
    expect(ends[2].t - announced.t).toBeGreaterThanOrEqual(7500);
    const collected = eventsOf(trace, 'collect.end').filter((e) => e.digits !== '');
    expect(collected.map((e) => [e.form, e.digits, e.reason])).toEqual([
      ['input_telnum', '13800000000', 'terminator'],
      ['order', '0101', 'length'],
      ['input_goods_confirm', '1', 'length'],
    ]);
    const checks = eventsOf(trace, 'check.response').map((e) => [
      new URL(e.url).searchParams.get('a'),
      e.status,
      e.value,
    ]);
    expect(checks).toEqual([
      ['member', 200, 'LOGIN_SUCCESS'],
      ['preOrder', 200, '0101'],
      ['confirmOrder', 200, 'OK'],
    ]);
    const requests = eventsOf(trace, 'check.request').map((e) => new URL(e.url).searchParams);
    expect(requests.map((q) => [q.get('a'), q.get('input'), q.get('form'), q.get('callid')])).toEqual([
      ['member', '13800000000', 'input_telnum', row.callid],
      ['preOrder', '0101', 'order', row.callid],
      ['confirmOrder', '1', 'input_goods_confirm', row.callid],
    ]);
    expect(requests.every((q) => q.get('caller') === '5551234' && q.get('callee') === '1000')).toBe(true);
    expect(eventsOf(trace, 'hangup')).toEqual([expect.objectContaining({ form: 'finish_order' })]);

    const orders = (await (await fetch(`http://127.0.0.1:${backend.port}/orders`)).json()) as unknown[];
    expect(orders).toEqual([
      expect.objectContaining({ callid: row.callid, member: '13800000000', items: ['0101'] }),
    ]);
  });
});
