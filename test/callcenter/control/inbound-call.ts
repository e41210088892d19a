// A customer's inbound call that an IVR hands to an agent, on a live test center: the routed number, its flow,
// and waits on what the phones hear (tones judged by Goertzel), counted from a mark so phones can be reused.
import { expect } from 'vitest';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import type { BaresipCaller } from '../../calls/baresip.ts';
import { toneShare } from '../../calls/tones.ts';
import type { PublishedFlow } from '../../calls/harness.ts';
import type { Center } from './center.ts';

/** The number whose flow transfers every caller to `agent`. */
export const TO_AGENT = '1000';

export function toAgentFlow(agent: string, number = TO_AGENT): PublishedFlow {
  return {
    id: `to-${agent}`,
    number,
    xml: `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:transfer dest="${agent}" timeout="20"/></tns:form>
</tns:vxml>`,
  };
}

/** Resolves with the `n`-th next event of `type` on `phone`, counting from now. */
export function next(phone: BaresipCaller, type: string, n = 1, ms?: number) {
  return phone.nth(type, phone.count(type) + n, ms);
}

/** Waits until the last `ms` of what `phone` heard are mostly `hz`. */
export function hears(phone: BaresipCaller, hz: number, what: string, share = 0.5, ms = 1000): Promise<true> {
  return waitFor(() => toneShare(phone.heard(), hz, ms) > share || undefined, 15_000, what);
}

/**
 * Marks what `phone` heard so far; the function returned waits until it heard `ms` more and hands back that new
 * audio: what the phone heard during a stretch of the call, not before it.
 */
export function mark(phone: BaresipCaller, ms = 1500): () => Promise<Int16Array> {
  const from = phone.heard().length;
  return async () => {
    await waitFor(() => phone.heard().length >= from + ms * 8 || undefined, 15_000, `${ms} ms more audio`);
    return phone.heard().subarray(from);
  };
}

export interface InboundCall {
  customer: BaresipCaller;
  /** The customer's number (the call's caller). */
  number: string;
  agent: BaresipCaller;
  /** The call's id in the runtime (the screen pops' `id`, the call log's callid). */
  callId: string;
}

/**
 * A new customer phone sending `hz` dials `number`; its flow rings `agent`, the agent answers, and both hear each
 * other before this resolves.
 */
export async function callAgent(
  c: Center,
  o: { customer: string; hz: number; agent: string; agentHz: number; number?: string },
): Promise<InboundCall> {
  const agent = c.agents.get(o.agent)!;
  const customer = await c.customer(o.customer, o.hz);
  const ringing = next(agent, 'CALL_INCOMING');
  expect((await customer.command('dial', `sip:${o.number ?? TO_AGENT}@${c.sip}`)).ok).toBe(true);
  await customer.event('CALL_ESTABLISHED');
  await ringing;
  const established = next(agent, 'CALL_ESTABLISHED');
  expect((await agent.command('accept')).ok).toBe(true);
  await established;
  await hears(agent, o.hz, 'the agent to hear the customer');
  await hears(customer, o.agentHz, 'the customer to hear the agent');
  const talking = c.runtime.calls.registry.talkingWith(o.agent);
  if (!talking) throw new Error(`${o.agent} is not talking with a customer`);
  return { customer, number: o.customer, agent, callId: talking.call.callId };
}
