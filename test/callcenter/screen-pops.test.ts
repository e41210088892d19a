// Screen pops (manual section 4) on live calls: a customer's phone calls a number whose flow transfers to agent
// 801 (group 3003), and a test CRM on loopback receives the pops: in order per call, retried until accepted,
// signed, none lost, also when the CRM is down as the call starts.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../media/embedded/sip/peers.ts';
import { callsOver, startCenter, type Center } from './control/center.ts';
import { callAgent, next, TO_AGENT, toAgentFlow } from './control/inbound-call.ts';
import { SIGNATURE_HEADER } from '../../runtime/callcenter/screen-pops.ts';
import { checkFlow } from '../../runtime/callcenter/flow-registry.ts';
import { realClock } from '../../runtime/media/contract.ts';
import { SimLeg } from '../../runtime/media/sim/sim-leg.ts';

const SECRET = 'crm-shared-secret-0123456789';

interface Received {
  params: Record<string, string>;
  /** The HMAC checked the way docs/screen-pops.md tells a CRM to. */
  signed: boolean;
  status: number;
}

/** What a CRM does with a pop's signature header: `t=<unix seconds>,sha256=<hex>` over `<t>.<path and query>`. */
function verify(req: IncomingMessage): boolean {
  const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
  const m = typeof header === 'string' ? /^t=(\d+),sha256=([0-9a-f]{64})$/.exec(header) : null;
  if (!m) return false;
  const t = Number(m[1]);
  // A pop signed long ago is a replay.
  if (Math.abs(Date.now() / 1000 - t) > 300) return false;
  const expected = createHmac('sha256', SECRET).update(`${t}.${req.url}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2], 'hex'));
}

/** A CRM on loopback that refuses its first `refuse` requests with 500 and can go down and come back. */
class Crm {
  readonly received: Received[] = [];
  private server: Server;
  port = 0;

  constructor(private refuse: number) {
    this.server = this.create();
  }

  private create(): Server {
    return createServer((req, res) => {
      const url = new URL(req.url!, 'http://crm');
      const status = this.refuse > 0 ? 500 : 200;
      if (this.refuse > 0) this.refuse--;
      this.received.push({ params: Object.fromEntries(url.searchParams), signed: verify(req), status });
      res.writeHead(status).end(status === 200 ? 'ok' : 'try later');
    });
  }

  async up(): Promise<void> {
    await new Promise<void>((done) => this.server.listen(this.port, '127.0.0.1', done));
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Stops listening and drops kept-alive connections: the runtime's next attempt is refused. */
  async down(): Promise<void> {
    const closed = new Promise<void>((done) => this.server.close(() => done()));
    this.server.closeAllConnections();
    await closed;
    this.server = this.create();
  }

  /** Pops the CRM accepted for one call, in the order it accepted them. */
  accepted(id: string): Received[] {
    return this.received.filter((r) => r.status === 200 && r.params.id === id);
  }
}

let c: Center;
let crm: Crm;
let customers = 0;

beforeAll(async () => {
  crm = new Crm(2);
  await crm.up();
  c = await startCenter({
    agents: [
      { number: '801', hz: 600, group: '3003' },
      { number: '803', hz: 1200, group: '3009', permissions: ['monitor'] },
    ],
    flows: [toAgentFlow('801')],
    overrides: {
      'callCenter.screenPop.url': `http://127.0.0.1:${crm.port}/srvlt`,
      'callCenter.screenPop.secret': SECRET,
      // The last test stops the runtime with a call up: it is cut at once.
      'calls.drainDeadlineMs': 0,
    },
  });
});
afterAll(async () => {
  await c?.stop();
  await crm?.down();
});

/** What an answered inbound call to 801 pops, per call, once the customer hung up. */
const popsOfCall = (id: string, number: string, agentLeg: string) => {
  const main = {
    id,
    caller: number,
    callee: TO_AGENT,
    direction: 'incoming',
    businessId: 'maincall',
    group: '',
  };
  const agent = { ...main, callee: '801', businessId: agentLeg, group: '3003' };
  return [
    { ...main, state: 'calling' },
    // The IVR answers at once: no `ringing` for the caller's leg (the manual: none when auto-answered).
    { ...main, state: 'talking' },
    { ...agent, state: 'calling' },
    { ...agent, state: 'ringing' },
    { ...agent, state: 'talking' },
    { ...main, state: 'hungup' },
    { ...agent, state: 'hungup' },
  ];
};

/** A customer calls, 801 answers, the customer hangs up; resolves with the call's id and its agent leg's id. */
async function answeredCall() {
  const number = `1370000000${++customers}`;
  const call = await callAgent(c, { customer: number, hz: 400, agent: '801', agentHz: 600 });
  const agentLeg = c.runtime.calls.registry.get(call.callId)!.legsOf('agent')[0].businessId;
  const closed = next(call.agent, 'CALL_CLOSED');
  expect((await call.customer.command('hangup')).ok).toBe(true);
  await closed;
  await callsOver(c);
  return { ...call, number, agentLeg };
}

const delivered = (id: string, n: number, ms = 30_000) =>
  waitFor(
    () => crm.accepted(id).length >= n && c.runtime.calls.screenPops!.stats.waiting === 0,
    ms,
    `${n} pops`,
  );

describe('screen pops', () => {
  it('pops every state of the caller’s and the agent’s legs in order, retried until accepted, signed', async () => {
    const call = await answeredCall();
    const expected = popsOfCall(call.callId, call.number, call.agentLeg);
    await delivered(call.callId, expected.length);

    expect(call.agentLeg).toMatch(/^\d+-0@127\.0\.0\.1$/);
    expect(crm.accepted(call.callId).map((r) => r.params)).toEqual(expected);
    // The CRM refused the first pop twice; the same pop came again until it was accepted, and nothing was lost.
    expect(crm.received.slice(0, 3).map((r) => [r.params.businessId, r.params.state, r.status])).toEqual([
      ['maincall', 'calling', 500],
      ['maincall', 'calling', 500],
      ['maincall', 'calling', 200],
    ]);
    expect(crm.received).toHaveLength(expected.length + 2);
    expect(crm.received.every((r) => r.signed)).toBe(true);
    expect(c.runtime.calls.screenPops!.stats).toMatchObject({ dropped: 0, waiting: 0 });
  });

  it('pops a supervisor’s leg with its own number throughout, also after it took the call over', async () => {
    const number = `1370000000${++customers}`;
    const call = await callAgent(c, { customer: number, hz: 400, agent: '801', agentHz: 600 });
    const supervisor = c.agents.get('803')!;
    const ringing = next(supervisor, 'CALL_INCOMING');
    const agentGone = next(call.agent, 'CALL_CLOSED');
    const pickup = c.callctrl('leaderExtnum=803&wokerExtnum=801&opt=FORCE_PICKUP');
    await ringing;
    expect((await supervisor.command('accept')).ok).toBe(true);
    expect((await pickup).status).toBe(200);
    await agentGone;
    const closed = next(supervisor, 'CALL_CLOSED');
    expect((await call.customer.command('hangup')).ok).toBe(true);
    await closed;
    await callsOver(c);
    await delivered(call.callId, 11);

    const legs = await c.runtime.store.callLegs.list(call.callId);
    const of = (ext: string) => legs.find((l) => l.extension === ext)!.businessId;
    const pops = crm.accepted(call.callId).map((r) => r.params);
    const byLeg = (businessId: string) =>
      pops.filter((p) => p.businessId === businessId).map((p) => [p.state, p.callee, p.group]);
    expect(byLeg(of('801'))).toEqual([
      ['calling', '801', '3003'],
      ['ringing', '801', '3003'],
      ['talking', '801', '3003'],
      ['hungup', '801', '3003'],
    ]);
    // The supervisor's phone was rung by the call: it is the callee of its leg before and after the take-over.
    expect(byLeg(of('803'))).toEqual([
      ['calling', '803', '3009'],
      ['ringing', '803', '3009'],
      ['talking', '803', '3009'],
      ['hungup', '803', '3009'],
    ]);
  });

  it('pops `canceled` for an agent who rang but never answered', async () => {
    const number = `1370000000${++customers}`;
    const agent = c.agents.get('801')!;
    const customer = await c.customer(number, 400);
    const ringing = next(agent, 'CALL_INCOMING');
    const stopped = next(agent, 'CALL_CLOSED');
    expect((await customer.command('dial', `sip:${TO_AGENT}@${c.sip}`)).ok).toBe(true);
    await customer.event('CALL_ESTABLISHED');
    await ringing;
    const id = c.runtime.calls.registry.legsOfExtension('801')[0].call.callId;
    expect((await customer.command('hangup')).ok).toBe(true);
    // The caller left: the agent's phone stops ringing.
    await stopped;
    await callsOver(c);
    await delivered(id, 6);
    expect(crm.accepted(id).map((r) => [r.params.businessId === 'maincall', r.params.state])).toEqual([
      [true, 'calling'],
      [true, 'talking'],
      [false, 'calling'],
      [false, 'ringing'],
      [true, 'hungup'],
      [false, 'canceled'],
    ]);
  });

  it('pops nothing for a designer test call (no phone rang)', async () => {
    const pops = c.runtime.calls.screenPops!;
    const before = { ...pops.stats };
    const flow = checkFlow(
      '<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main"><tns:hangup/></tns:form></tns:vxml>',
    ).document!;
    const leg = new SimLeg({ clock: realClock, state: 'ringing', from: 'designer', to: 'flow' });
    const run = await c.runtime.calls.startTest(leg, { document: flow, flowId: null, version: null });
    expect(await run.done).toMatchObject({ answered: true, endReason: 'hangup' });
    // Pops are queued as the bus announces each change: none was.
    expect(pops.stats).toEqual(before);
    expect(crm.received.filter((r) => r.params.id === run.callId)).toEqual([]);
  });

  it('delivers everything to a CRM that was down when the call started, once it is up', async () => {
    await crm.down();
    const before = crm.received.length;
    const call = await answeredCall();
    expect(crm.received.length).toBe(before);
    expect(c.runtime.calls.screenPops!.stats.waiting).toBe(7);

    await crm.up();
    const expected = popsOfCall(call.callId, call.number, call.agentLeg);
    // The first retry after the CRM is back comes within the back-off (at most 30 s between attempts).
    await delivered(call.callId, expected.length, 45_000);
    expect(crm.accepted(call.callId).map((r) => r.params)).toEqual(expected);
    expect(crm.received.slice(before).every((r) => r.status === 200 && r.signed)).toBe(true);
    expect(c.runtime.calls.screenPops!.stats).toMatchObject({ dropped: 0, waiting: 0 });
  }, 90_000);

  it('delivers the pops of the calls a shutdown ends before the runtime stops', async () => {
    const number = `1370000000${++customers}`;
    const call = await callAgent(c, { customer: number, hz: 400, agent: '801', agentHz: 600 });
    await delivered(call.callId, 5);
    await c.runtime.stop();
    expect(
      crm.accepted(call.callId).map((r) => [r.params.businessId === 'maincall', r.params.state]),
    ).toEqual([
      [true, 'calling'],
      [true, 'talking'],
      [false, 'calling'],
      [false, 'ringing'],
      [false, 'talking'],
      [true, 'hungup'],
      [false, 'hungup'],
    ]);
  });
});
