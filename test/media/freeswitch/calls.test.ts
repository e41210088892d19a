// The embedded engine's live-call scenarios on the FreeSWITCH engine: the whole runtime (`engine: "freeswitch"`)
// with sipp calling drachtio-server: the food order with RFC 4733 keys, sipp's stock RFC 2833 captures pressed
// while barge-in prompts play (and what FreeSWITCH does with a capture replayed twice in a row), a silent caller. Skipped unless IVR_DRACHTIO and IVR_FREESWITCH are set.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startExamplesBackend, type RunningBackend } from '../../../examples/backend.ts';
import type { Runtime } from '../../../runtime/server.ts';
import { killPeers, runSipp, waitFor } from '../embedded/sip/peers.ts';
import { expectFoodOrderPlaced, FOOD_ORDER } from '../../calls/food-order.ts';
import {
  eventsOf,
  foodOrderingFlow,
  lastCall,
  runCueSipp,
  scenario,
  startCallRuntime,
  tempDir,
  watchCalls,
  type CallWatch,
} from '../../calls/harness.ts';
import { writeDigitsPcap } from '../../calls/pcap.ts';
import { freeswitchEnv } from './env.ts';

const env = freeswitchEnv();
const STOCK = '/usr/share/sip-tester';
const KEY_EVERY_MS = 600;

/** Steps playing sipp's own RFC 2833 capture of each key, unchanged. */
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

// Three fields keyed with stock captures: up to #, four keys, one key (or nothing within 3 s); then the IVR hangs up.
const STOCK_KEYS_FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="first" length="10" inputexpires="10000">
      <tns:prompt bargein="true"><tns:audio src="[FILE_PATH]/delicious/goods_ok_prefix.wav"/></tns:prompt>
    </tns:field>
    <tns:goto next="#second"/>
  </tns:form>
  <tns:form id="second">
    <tns:field name="second" length="4" inputexpires="10000">
      <tns:prompt bargein="true"><tns:audio src="[FILE_PATH]/delicious/goods_ok_prefix.wav"/></tns:prompt>
    </tns:field>
    <tns:goto next="#third"/>
  </tns:form>
  <tns:form id="third">
    <tns:field name="third" length="1" inputexpires="3000">
      <tns:prompt bargein="true"><tns:audio src="[FILE_PATH]/delicious/goods_ok_prefix.wav"/></tns:prompt>
    </tns:field>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

// A caller who says nothing: the field gives up after 2 s and the IVR hangs up.
const SILENT_FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="pin" length="4" inputexpires="2000">
      <tns:prompt bargein="true"><tns:audio src="[FILE_PATH]/delicious/goods_ok_prefix.wav"/></tns:prompt>
    </tns:field>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

describe.skipIf(!env)('live calls on FreeSWITCH (IVR_DRACHTIO and IVR_FREESWITCH)', () => {
  const dir = tempDir('ivr-fs-calls-');
  let backend: RunningBackend;
  let runtime: Runtime;
  let watch: CallWatch;
  const target = () => `127.0.0.1:${runtime.sip!.port}`;

  beforeAll(async () => {
    backend = await startExamplesBackend({ port: 0 });
    runtime = await startCallRuntime(
      dir,
      [
        { id: 'food-ordering', number: '1000', xml: foodOrderingFlow(backend.port) },
        { id: 'silent', number: '1001', xml: SILENT_FLOW },
        { id: 'stock-keys', number: '1002', xml: STOCK_KEYS_FLOW },
      ],
      {
        engine: 'freeswitch',
        'freeswitch.drachtio': env!.drachtio,
        'freeswitch.mediaServers': env!.mediaServers,
        'freeswitch.ttsDir': join(dir, 'tts'),
      },
    );
    watch = watchCalls(runtime);
  });
  afterEach(() => killPeers());
  afterAll(async () => {
    await runtime?.stop();
    await backend?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('food order with RFC 4733 keys: barge-in, checks, the order placed, the IVR hangs up', async () => {
    writeDigitsPcap(join(dir, 'telnum.pcap'), FOOD_ORDER.member, { first: 0 });
    writeDigitsPcap(join(dir, 'item.pcap'), FOOD_ORDER.item, { first: 12 });
    writeDigitsPcap(join(dir, 'confirm.pcap'), FOOD_ORDER.confirm, { first: 16 });
    const sipp = await runSipp(scenario(dir, 'uac_food_order.xml', { DIR: dir }), target(), {
      service: '1000',
      timeoutSec: 50,
    });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    await expectFoodOrderPlaced(runtime.http.port, backend.port);
  }, 70_000);

  it("sipp's stock RFC 2833 captures: each press heard once, but FreeSWITCH drops one that replays the press before", async () => {
    // The stock captures are replayed unchanged: each carries its own fixed RTP sequence numbers and timestamp. A
    // key pressed again right after itself is, to FreeSWITCH's RTP receiver, the very same packets again (sequence
    // numbers not past the last ones), which it drops as duplicates before any event reaches the runtime: on
    // FreeSWITCH the food order's 13800000000 cannot be keyed with them. The embedded engine counts such a press
    // (test/calls/stock-dtmf.test.ts). A key repeated after another key is heard: the capture of 0 numbers its
    // packets above all the others, and FreeSWITCH starts over when numbers jump back by more than 100.
    const digitsBefore = watch.digits.length;
    const sipp = await runCueSipp(dir, 'uac_stock_keys_on_cue.xml', target(), {
      service: '1002',
      timeoutSec: 60,
      vars: { MEMBER: stockKeys('1005#'), ITEM: stockKeys('0101'), CONFIRM: stockKeys('1') },
    });
    const seen = watch.events.length;
    for (const form of ['main', 'second', 'third']) {
      await watch.until(
        (ev) => watch.events.indexOf(ev) >= seen && ev.type === 'collect.start' && ev.form === form,
        `${form} to take keys`,
      );
      await sipp.cue();
    }
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    expect(watch.digits.slice(digitsBefore)).toBe('105#0101');
    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({ state: 'STATE_RECEIVED', endReason: 'hangup', flowId: 'stock-keys' });
    expect(eventsOf(trace, 'collect.end').map((e) => e.digits)).toEqual(['105', '0101', '']);
  }, 90_000);

  it('a silent caller: the prompt plays to its end, the field times out with no input, the IVR hangs up', async () => {
    const sipp = await runSipp('uac_wait_bye.xml', target(), { service: '1001', timeoutSec: 30 });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 10_000, 'the call to end');
    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'hangup',
      flowId: 'silent',
      caller: '5551234',
    });
    expect(eventsOf(trace, 'prompt.end')).toEqual([expect.objectContaining({ reason: 'completed' })]);
    const [collected] = eventsOf(trace, 'collect.end');
    expect(collected).toMatchObject({ digits: '' });
    expect(['no-input', 'timeout']).toContain(collected.reason);
  }, 60_000);
});
