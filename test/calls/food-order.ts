// What a completed food order by phone leaves behind: the call log, the trace of the order path, the check
// requests and the order at the backend. Shared by the tests that place the order with different callers.
import { expect } from 'vitest';
import { eventsOf, lastCall } from './harness.ts';

/** The keys of the order: the member number ended by #, item 0101, and 1 to confirm. */
export const FOOD_ORDER = { member: '13800000000#', item: '0101', confirm: '1' };

/**
 * Checks the newest call on the runtime at `httpPort` placed the order of FOOD_ORDER at the backend at
 * `backendPort` and hung up, each field having collected exactly its keys.
 */
export async function expectFoodOrderPlaced(httpPort: number, backendPort: number): Promise<void> {
  const { row, trace } = await lastCall(httpPort);
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

  const orders = (await (await fetch(`http://127.0.0.1:${backendPort}/orders`)).json()) as unknown[];
  expect(orders).toEqual([
    expect.objectContaining({ callid: row.callid, member: '13800000000', items: ['0101'] }),
  ]);
}
