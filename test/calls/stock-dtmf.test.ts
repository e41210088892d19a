// A whole food order keyed with sipp's stock RFC 2833 captures, sent unchanged: each capture repeats its own fixed
// RTP timestamp, so a key pressed again (0 in the member number, 0 and 1 in 0101, 1 again to confirm) reaches the
// runtime with the timestamp of its previous press and must still count once per press.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExamplesBackend, type RunningBackend } from '../../examples/backend.ts';
import type { Runtime } from '../../runtime/server.ts';
import { killPeers, waitFor } from '../media/embedded/sip/peers.ts';
import { expectFoodOrderPlaced, FOOD_ORDER } from './food-order.ts';
import {
  foodOrderingFlow,
  runCueSipp,
  startCallRuntime,
  tempDir,
  watchCalls,
  type CallWatch,
} from './harness.ts';

const STOCK = '/usr/share/sip-tester';
/** A capture lasts 140 ms and a new play_pcap_audio cuts the running one short: one key every 600 ms. */
const KEY_EVERY_MS = 600;

/** The scenario steps that play sipp's own capture of each key, unchanged. */
function stockKeys(keys: string): string {
  const name = (key: string) => (key === '#' ? 'pound' : key === '*' ? 'star' : key);
  return [...keys]
    .map(
      (key) =>
        `  <nop><action><exec play_pcap_audio="${STOCK}/dtmf_2833_${name(key)}.pcap"/></action></nop>\n` +
        `  <pause milliseconds="${KEY_EVERY_MS}"/>`,
    )
    .join('\n');
}

const dir = tempDir('ivr-calls-stock-');
let backend: RunningBackend;
let runtime: Runtime;
let watch: CallWatch;

beforeAll(async () => {
  backend = await startExamplesBackend({ port: 0 });
  runtime = await startCallRuntime(dir, [
    { id: 'food-ordering', number: '1000', xml: foodOrderingFlow(backend.port) },
  ]);
  watch = watchCalls(runtime);
});
afterEach(() => killPeers());
afterAll(async () => {
  await runtime?.stop();
  await backend?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("food ordering keyed with sipp's stock RFC 2833 captures", () => {
  it('hears every key once, repeated keys included, and places the order', async () => {
    const sipp = await runCueSipp(dir, 'uac_stock_keys_on_cue.xml', `127.0.0.1:${runtime.sip!.port}`, {
      service: '1000',
      timeoutSec: 100,
      vars: {
        MEMBER: stockKeys(FOOD_ORDER.member),
        ITEM: stockKeys(FOOD_ORDER.item),
        CONFIRM: stockKeys(FOOD_ORDER.confirm),
      },
    });
    // Keys reach a field only once it accepts them (no type-ahead): each group waits for its field.
    for (const form of ['input_telnum', 'order', 'input_goods_confirm']) {
      await watch.until((ev) => ev.type === 'collect.start' && ev.form === form, `${form} to take keys`);
      await sipp.cue();
    }
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');

    // Every press reported exactly once by the caller's leg, in order...
    expect(watch.digits).toBe(FOOD_ORDER.member + FOOD_ORDER.item + FOOD_ORDER.confirm);
    // ...and the whole order path in the call log, the trace and the backend.
    await expectFoodOrderPlaced(runtime.http.port, backend.port);
  }, 120_000);
});
