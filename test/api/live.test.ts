// GET /api/live: a snapshot, then the call center's changes as Server-Sent Events, read by a real HTTP client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realClock } from '../../runtime/media/contract.ts';
import { SimLeg } from '../../runtime/media/sim/sim-leg.ts';
import { checkFlow } from '../../runtime/callcenter/flow-registry.ts';
import { startApi, type ApiHarness } from './harness.ts';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApi({
    overrides: { extensions: [{ number: '801', password: 'pw-801-x', name: 'Agent' }] },
  });
});
afterAll(async () => {
  await api.close();
});

/** Reads SSE events from the stream until `until` accepts the list so far. */
async function read(
  body: ReadableStream<Uint8Array>,
  until: (events: { event: string; data: unknown }[]) => boolean,
) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const events: { event: string; data: unknown }[] = [];
  let text = '';
  while (!until(events)) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = text.indexOf('\n\n')) >= 0) {
      const block = text.slice(0, end);
      text = text.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) events.push({ event, data: JSON.parse(data) });
    }
  }
  return { events, reader };
}

describe('/api/live', () => {
  it('sends a snapshot, then extension changes and calls as they happen', async () => {
    const ac = new AbortController();
    const res = await fetch(`${api.base}/api/live`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const first = await read(res.body!, (evs) => evs.length >= 1);
    expect(first.events[0]).toEqual({
      event: 'snapshot',
      data: {
        extensions: [expect.objectContaining({ telNum: '801', userName: 'Agent', state: 'OFFLINE' })],
        calls: [],
      },
    });
    first.reader.releaseLock();

    await fetch(`${api.base}/bridge/callctrl?extnum=801&state=busy&opt=SET_EXT_PRESENCE_STATE`);
    const leg = new SimLeg({ clock: realClock, state: 'ringing', from: '13800000000', to: '1000' });
    const flow = `<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main"><tns:hangup/></tns:form></tns:vxml>`;
    const { callId, done } = await api.calls.startTest(leg, {
      document: checkFlow(flow).document!,
      flowId: 'f',
      version: 1,
    });
    await done;
    const next = await read(res.body!, (evs) => evs.some((e) => e.event === 'call-ended'));
    ac.abort();
    expect(next.events[0]).toEqual({ event: 'extension', data: expect.objectContaining({ telNum: '801' }) });
    expect(
      next.events.filter((e) => e.event === 'call').map((e) => (e.data as { callId: string }).callId),
    ).toContain(callId);
    expect(next.events.find((e) => e.event === 'call-ended')).toEqual({
      event: 'call-ended',
      data: { callId, ending: expect.objectContaining({ reason: 'hangup', answered: true }) },
    });
  });
});
