// RTP flood and foreign packets on a live call through the embedded engine. sipp sets up a call whose media is a
// socket of the test: once its first packet has latched the runtime's media to it, it floods (200 packets a
// second, a burst of 2000, garbage datagrams) and keys 1234, while another socket on 127.0.0.1 sends PCMU and the
// keys 9 and # to the same RTP port. The process keeps running, only 1234 is heard, the runtime keeps sending to
// the latched socket alone, and a second call keyed by sipp at the same time hears its keys and plays its prompt.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallLog } from '../../runtime/callcenter/store/call-logs.ts';
import type { TraceEvent } from '../../runtime/interpreter/trace.ts';
import { EmbeddedLeg } from '../../runtime/media/embedded/leg.ts';
import { RtpSession, type RtpStats } from '../../runtime/media/embedded/rtp/session.ts';
import { RemoteSession } from '../../runtime/media/embedded/worker/remote-session.ts';
import type { Runtime } from '../../runtime/server.ts';
import { RawPeer } from '../media/embedded/rtp/peers.ts';
import { killPeers, runSipp, waitFor } from '../media/embedded/sip/peers.ts';
import {
  eventsOf,
  getJson,
  runCueSipp,
  scenario,
  startCallRuntime,
  tempDir,
  watchCalls,
  type CallWatch,
} from './harness.ts';
import { writeDigitsPcap } from './pcap.ts';
import { RtpStream } from './rtp-stream.ts';

const MENU = '[FILE_PATH]/delicious/menu.wav';
const GOODBYE = '[FILE_PATH]/after_hours/goodbye.wav';
/** Frames of goodbye.wav (2.25 s of 20 ms frames), the prompt each call plays whole after its keys. */
const GOODBYE_FRAMES = 112;

// Four keys that may barge into a long prompt, then a prompt played whole, then the runtime hangs up.
const FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="code" length="4" inputexpires="20000">
      <tns:prompt bargein="true"><tns:audio src="${MENU}"/></tns:prompt>
    </tns:field>
    <tns:prompt><tns:audio src="${GOODBYE}"/></tns:prompt>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

const dir = tempDir('ivr-calls-rtp-flood-');
let runtime: Runtime;
let watch: CallWatch;
const peers: RawPeer[] = [];

beforeAll(async () => {
  runtime = await startCallRuntime(dir, [{ id: 'keys', number: '3000', xml: FLOW }]);
  watch = watchCalls(runtime);
});
afterEach(() => killPeers());
afterAll(async () => {
  await Promise.all(peers.map((p) => p.close()));
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function rawPeer(): Promise<RawPeer> {
  const peer = await RawPeer.open();
  peers.push(peer);
  return peer;
}

/** The call of `caller` once its field takes keys: its id, its RTP session, and the keys its leg reports. */
async function callOf(
  caller: string,
): Promise<{ callId: string; stats: () => Promise<RtpStats>; keys: () => string }> {
  const start = await watch.until(
    (ev) => ev.type === 'call.start' && ev.caller === caller,
    `${caller}'s call`,
  );
  const leg = runtime.calls.registry.get(start.callId)?.customer?.media;
  // Its RTP session runs in the media worker (the default) or on the main thread.
  if (!(leg instanceof EmbeddedLeg)) throw new Error('not an embedded leg');
  const rtp = leg.rtp;
  if (!(rtp instanceof RemoteSession || rtp instanceof RtpSession)) throw new Error('not an RTP session');
  let keys = '';
  leg.on('dtmf', (e) => (keys += e.digit));
  await watch.until(
    (ev) => ev.type === 'collect.start' && ev.callId === start.callId,
    `${caller}'s field to take keys`,
  );
  return { callId: start.callId, stats: async () => rtp.stats(), keys: () => keys };
}

async function logOf(callId: string): Promise<{ row: CallLog; trace: TraceEvent[] }> {
  const id = encodeURIComponent(callId);
  const row = await getJson<CallLog>(runtime.http.port, `/api/calls/${id}`);
  const trace = await getJson<TraceEvent[]>(runtime.http.port, `/api/calls/${id}/trace`);
  return { row, trace };
}

describe('RTP flood and foreign packets on a live call', () => {
  it('hears only the latched peer, keeps sending to it, and leaves a concurrent call alone', async () => {
    const target = `127.0.0.1:${runtime.sip!.port}`;
    const legit = await rawPeer();
    const foreign = await rawPeer();
    const flooded = await runSipp(
      scenario(dir, 'uac_media_at_port.xml', { CALLER: '5553001', RTP_PORT: String(legit.port) }),
      target,
      { service: '3000', timeoutSec: 60 },
    );
    const quietDir = join(dir, 'quiet');
    mkdirSync(quietDir);
    writeDigitsPcap(join(quietDir, 'digits.pcap'), '5678');
    const quiet = await runCueSipp(quietDir, 'uac_digits_on_cue.xml', target, {
      service: '3000',
      timeoutSec: 60,
      vars: { DIR: quietDir, CALLER: '5553002' },
    });
    const one = await callOf('5553001');
    const two = await callOf('5553002');

    // The menu prompt reaches the announced socket: its source is the call's RTP port.
    await waitFor(() => legit.packets.length > 0, 15_000, 'the prompt at the caller');
    const rtpPort = legit.packets[0].from;
    const stream = new RtpStream(legit, rtpPort, 0x1e617);
    stream.audio();
    await waitFor(
      async () => (await one.stats()).packetsReceived > 0,
      15_000,
      'the first packet to latch the media',
    );

    const stopForeign = new AbortController();
    const intruder = new RtpStream(foreign, rtpPort, 0xbad);
    const intruding = intruder.keys('9#'.repeat(40), { audioPerTick: 1, signal: stopForeign.signal });
    const heardBefore = legit.packets.length;
    await quiet.cue();
    await stream.flood(4, 100);
    stream.burst(2000, 50);
    await stream.keys('1234', { audioPerTick: 2 });

    const [first, second] = await Promise.all([flooded.done, quiet.done]);
    stopForeign.abort();
    await intruding;
    // Both scenarios pass only with the runtime's BYE: each call went on to its end.
    expect(first.code, first.errors).toBe(0);
    expect(second.code, second.errors).toBe(0);
    await waitFor(() => runtime.calls.count === 0, 15_000, 'both calls to end');
    expect((await getJson<{ calls: number }>(runtime.http.port, '/healthz')).calls).toBe(0);
    expect((await runtime.mediaClock())?.stats.errors).toBe(0);

    // The intruder's keys were never heard, and the flood did reach the session.
    expect(intruder.sent).toBeGreaterThan(50);
    expect(one.keys()).toBe('1234');
    const [oneStats, twoStats] = [await one.stats(), await two.stats()];
    expect(oneStats).toMatchObject({ dtmfReceived: 4 });
    expect(oneStats.packetsReceived).toBeGreaterThan(200);
    // The media path stayed with the latched socket: nothing went to the intruder, the goodbye went to the caller.
    expect(foreign.packets).toHaveLength(0);
    expect(legit.packets.length - heardBefore).toBeGreaterThanOrEqual(GOODBYE_FRAMES);
    expect(new Set(legit.packets.map((p) => p.from))).toEqual(new Set([rtpPort]));
    // The second call heard its own four keys and nothing else, and sent its whole goodbye.
    expect(two.keys()).toBe('5678');
    expect(twoStats).toMatchObject({ dtmfReceived: 4, packetsDropped: 0 });
    expect(twoStats.packetsSent).toBeGreaterThanOrEqual(GOODBYE_FRAMES);

    for (const [call, digits] of [
      [one, '1234'],
      [two, '5678'],
    ] as const) {
      const { row, trace } = await logOf(call.callId);
      expect(row).toMatchObject({
        state: 'STATE_RECEIVED',
        endReason: 'hangup',
        result: `state=1;code=${digits}`,
      });
      expect(eventsOf(trace, 'collect.end').map((e) => [e.digits, e.reason])).toEqual([[digits, 'length']]);
      expect(eventsOf(trace, 'prompt.start').map((e) => e.sources)).toEqual([[MENU], [GOODBYE]]);
      expect(eventsOf(trace, 'prompt.end').map((e) => [e.reason, e.digit])).toEqual([
        ['interrupted', digits[0]],
        ['completed', undefined],
      ]);
    }
  }, 120_000);
});
