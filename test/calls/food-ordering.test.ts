// A whole food order on a live SIP call: sipp presses keys (RFC 4733) through the runtime, the interpreter calls
// the real examples backend, and the HTTP API shows the call log, the trace and the recorded order.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExamplesBackend, type RunningBackend } from '../../examples/backend.ts';
import type { Runtime } from '../../runtime/server.ts';
import { killPeers, runSipp, waitFor } from '../media/embedded/sip/peers.ts';
import { expectFoodOrderPlaced, FOOD_ORDER } from './food-order.ts';
import { foodOrderingFlow, scenario, startCallRuntime, tempDir } from './harness.ts';
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
    // Event timestamps continue across the three captures, as a phone would send them.
    writeDigitsPcap(join(dir, 'telnum.pcap'), FOOD_ORDER.member, { first: 0 });
    writeDigitsPcap(join(dir, 'item.pcap'), FOOD_ORDER.item, { first: 12 });
    writeDigitsPcap(join(dir, 'confirm.pcap'), FOOD_ORDER.confirm, { first: 16 });
    const sipp = await runSipp(
      scenario(dir, 'uac_food_order.xml', { DIR: dir }),
      `127.0.0.1:${runtime.sip!.port}`,
      { service: '1000', timeoutSec: 50 },
    );
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    await expectFoodOrderPlaced(runtime.http.port, backend.port);
  });
});
