// A caller that goes silent (no RTP at all, as a phone that lost its network) is hung up after
// `sip.mediaTimeoutMs`: it gets a BYE, and its call log says why the call ended.
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/server.ts';
import { killPeers, runSipp, waitFor } from '../media/embedded/sip/peers.ts';
import { eventsOf, lastCall, startCallRuntime, tempDir } from './harness.ts';

const dir = tempDir('ivr-calls-media-timeout-');
let runtime: Runtime;

// Waits a minute for a key: without the media timeout the call would outlive the test.
const FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:field name="key" length="1" inputexpires="60000"/><tns:hangup/></tns:form>
</tns:vxml>`;

beforeAll(async () => {
  runtime = await startCallRuntime(dir, [{ id: 'wait-key', number: '1000', xml: FLOW }], {
    'sip.mediaTimeoutMs': 2000,
  });
});
afterEach(() => killPeers());
afterAll(async () => {
  await runtime?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('sip.mediaTimeoutMs on a live call', () => {
  it('hangs up a caller that sends no RTP with a BYE; the call log ends with media-timeout', async () => {
    // uac_wait_bye sends no media at all and passes only once the runtime sends BYE.
    const sipp = await runSipp('uac_wait_bye.xml', `127.0.0.1:${runtime.sip!.port}`, {
      service: '1000',
      timeoutSec: 40,
    });
    const result = await sipp.done;
    expect(result.code, result.errors).toBe(0);
    expect(result.messages).toMatch(/^BYE sip:/m);
    await waitFor(() => runtime.calls.count === 0, 15_000, 'the call to end');
    const { row, trace } = await lastCall(runtime.http.port);
    expect(row).toMatchObject({
      caller: '5551234',
      callee: '1000',
      state: 'STATE_RECEIVED',
      endReason: 'media-timeout',
      flowId: 'wait-key',
    });
    expect(row.endTime).not.toBeNull();
    // The field was still waiting for its key: the engine, not the flow, ended the call.
    expect(eventsOf(trace, 'collect.end')).toEqual([expect.objectContaining({ reason: 'hangup' })]);
    expect(eventsOf(trace, 'hangup')).toEqual([expect.objectContaining({ reason: 'media-timeout' })]);
  }, 60_000);
});
