// baresip dials the IVR and presses keys (RFC 4733 telephone events) through its control socket.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/server.ts';
import { waitFor } from '../media/embedded/sip/peers.ts';
import { startBaresipCaller, type BaresipCaller } from './baresip.ts';
import { eventsOf, lastCall, startCallRuntime, tempDir } from './harness.ts';

// A short greeting with barge-in, then four keys; the flow hangs up when it has them.
const FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="pin" length="4" inputexpires="20000">
      <tns:prompt bargein="true"><tns:audio src="[FILE_PATH]/delicious/goods_ok_prefix.wav"/></tns:prompt>
    </tns:field>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

const dir = tempDir('ivr-calls-baresip-');
let runtime: Runtime;
let phone: BaresipCaller | undefined;

beforeAll(async () => {
  runtime = await startCallRuntime(dir, [{ id: 'pin', number: '1000', xml: FLOW }]);
});
afterEach(async () => {
  await phone?.stop();
  phone = undefined;
});
afterAll(async () => {
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('baresip calling the IVR', () => {
  it('sends keys that the IVR collects once each, and is hung up on', async () => {
    phone = await startBaresipCaller({ user: '5557777' });
    const dialled = await phone.command('dial', `sip:1000@127.0.0.1:${runtime.sip!.port}`);
    expect(dialled.ok, phone.output()).toBe(true);
    await phone.event('CALL_ESTABLISHED');
    for (const key of '3141') expect((await phone.command('sndcode', key)).ok).toBe(true);
    await phone.event('CALL_CLOSED');
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');

    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'hangup',
      caller: '5557777',
      callee: '1000',
      result: 'state=1;pin=3141',
    });
    expect(eventsOf(trace, 'collect.end').map((e) => [e.digits, e.reason])).toEqual([['3141', 'length']]);
    // The first key stopped the greeting (barge-in) and counted as the first digit.
    expect(eventsOf(trace, 'prompt.end')).toEqual([
      expect.objectContaining({ reason: 'interrupted', digit: '3' }),
    ]);
  });
});
