// Live multi-party calls for the control tests: a customer calling in and reaching an agent through a flow, and
// who hears whom, decided from what each phone decoded (its tones, or hold music that carries none of them).
import { waitFor } from '../../media/embedded/sip/peers.ts';
import type { BaresipCaller, BaresipEvent } from '../../calls/baresip.ts';
import { loudness, toneShare } from '../../calls/tones.ts';
import type { Center } from './center.ts';

/** A flow that hands the caller to `dest` (an extension) at once. */
export const toAgent = (dest: string): string => `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:transfer dest="${dest}" timeout="10"/>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

/** A flow that waits (a long field) so whoever calls it stays in a call. */
export const WAITS = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:field name="pin" length="4" inputexpires="600000"/></tns:form>
</tns:vxml>`;

/** Waits for the next `type` event of `phone` after the ones seen so far (call before acting). */
export function next(phone: BaresipCaller, type: string, ms?: number): () => Promise<BaresipEvent> {
  const n = phone.count(type) + 1;
  return () => phone.nth(type, n, ms);
}

/** What a party should hear: `tones` (each of several mixed ones), none of `not`, and hold music (`music`). */
export interface Hearing {
  tones?: number[];
  not?: number[];
  music?: boolean;
}

const SECOND = 8000;

/**
 * Resolves once the last second of what `phone` decoded since this call matches `h`. A phone decodes only what it
 * is sent and writes it with some delay, so its whole recording's last second may still be an earlier call or
 * phase: only audio that arrived after the call is judged. One tone must carry a third of a frame's energy in
 * most frames; each of N mixed tones carries about 1/N, so then each must reach a fifth. Hold music is loud (it
 * never pauses for a second) and carries none of `not`.
 */
export async function hearing(phone: BaresipCaller, who: string, h: Hearing): Promise<void> {
  const from = phone.heard().length;
  const tones = h.tones ?? [];
  const part = tones.length > 1 ? 1 / 5 : 1 / 3;
  const matches = (pcm: Int16Array) =>
    pcm.length >= SECOND &&
    tones.every((hz) => toneShare(pcm, hz, 1000, part) > 0.5) &&
    (h.not ?? []).every((hz) => toneShare(pcm, hz, 1000) < 0.1) &&
    (!h.music || loudness(pcm, 1000) > 1e6);
  let last: Int16Array = new Int16Array(0);
  await waitFor(
    () => matches((last = phone.heard().subarray(from))) || undefined,
    15_000,
    `${who} to hear ${JSON.stringify(h)}`,
  ).catch((err: unknown) => {
    const shares = [...tones, ...(h.not ?? [])].map((hz) => `${hz} Hz ${toneShare(last, hz, 1000, part)}`);
    throw new Error(
      `${String(err)}; heard ${last.length / 8} ms: ${shares.join(', ')}, loudness ${loudness(last, 1000)}`,
    );
  });
}

/** The body's first line (the manual's code) and the HTTP status of a `/bridge/callctrl` request. */
export async function code(c: Center, query: string): Promise<{ status: number; code: string }> {
  const r = await c.callctrl(query);
  return { status: r.status, code: r.text.split('\n')[0] };
}

/** Polls CALL_THIRD_GET_THIRD_STATE until it answers `want` (100 may come first, 180 before 200). */
export async function thirdStateBecomes(c: Center, agent: string, want: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const got = (await code(c, `callee=${agent}&opt=CALL_THIRD_GET_THIRD_STATE`)).code;
    if (got === want) return;
    if (Date.now() > deadline) throw new Error(`GET_THIRD_STATE stayed ${got}, never ${want}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A customer (a fresh phone sending `hz`) dials `number`, whose flow transfers to `agent`; the agent answers and
 * both hear each other.
 */
export async function customerTalksWith(
  c: Center,
  o: { customer: string; hz: number; number: string; agent: string; agentHz: number },
): Promise<BaresipCaller> {
  const phone = await c.customer(o.customer, o.hz);
  const agent = c.agents.get(o.agent)!;
  const rings = next(agent, 'CALL_INCOMING');
  const answered = next(agent, 'CALL_ESTABLISHED');
  const dialled = await phone.command('dial', `sip:${o.number}@${c.sip}`);
  if (!dialled.ok) throw new Error(`the customer could not dial:\n${phone.output()}`);
  await rings();
  if (!(await agent.command('accept')).ok) throw new Error(`${o.agent} could not answer`);
  await answered();
  await phone.event('CALL_ESTABLISHED');
  await Promise.all([
    hearing(agent, `agent ${o.agent}`, { tones: [o.hz] }),
    hearing(phone, 'the customer', { tones: [o.agentHz] }),
  ]);
  return phone;
}

/** Ends whatever is still live (a failed test must not leave calls to the next one) and waits for the end. */
export async function endAll(c: Center): Promise<void> {
  await Promise.all(c.runtime.calls.registry.all().map((call) => call.hangUp('test-cleanup')));
  await waitFor(() => c.runtime.calls.count === 0 || undefined, 15_000, 'every call to end');
}
