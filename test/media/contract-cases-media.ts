// The media contract cases for what the call center needs: hold, conferences (speak, listen, whisper), mixed
// call recordings, SIP Call-IDs and drain. Every verdict comes from the audio the real peers heard.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { CallLeg } from '../../runtime/media/contract.ts';
import { readWav } from '../../runtime/media/audio/wav.ts';
import type { ContractSetup, ToneCall } from './contract-cases.ts';
import { hangupOf, nextIncoming } from './leg-events.ts';
import { expectHearing, expectSilentSince, presence } from './hearing.ts';

/** The tone of the setup's prompts and of its hold music; each peer sends its own (all on the 50 Hz grid). */
export const PROMPT_HZ = 400;
export const MUSIC_HZ = 1800;
const A = 600;
const B = 900;
const C = 1200;
const SUPERVISOR = 1500;

interface Party {
  leg: CallLeg;
  call: ToneCall;
}

/** The calls of one case, all torn down at its end whatever happened. */
function parties(s: ContractSetup) {
  const all: Party[] = [];
  return {
    /** A tone peer calls the engine; the engine answers. */
    async inbound(hz: number): Promise<Party> {
      const incoming = nextIncoming(s.engine);
      const { established } = await s.peer.toneCall(hz);
      const leg = await incoming;
      await leg.answer();
      const party = { leg, call: await established };
      all.push(party);
      return party;
    },
    /** The engine calls a tone peer, which answers. */
    async outbound(hz: number): Promise<Party> {
      const { target, established } = await s.peer.toneCallee(hz);
      const leg = await s.engine.originate(target, { from: '100', timeoutSec: 10 });
      const party = { leg, call: await established };
      all.push(party);
      return party;
    },
    async close(): Promise<void> {
      await Promise.all(all.map((p) => p.leg.hangup().catch(() => undefined)));
      await Promise.all(all.map((p) => p.call.stop()));
    },
  };
}

/** Registers the cases; `s()` is the suite's shared setup, `fresh()` makes a setup of its own (drain). */
export function mediaCases(s: () => ContractSetup, fresh: () => Promise<ContractSetup>): void {
  it('hold: the caller hears the hold music instead of the prompt, then the prompt again', async () => {
    const p = parties(s());
    try {
      const { leg, call } = await p.inbound(A);
      const playing = leg.play([{ kind: 'file', path: s().longPrompt }], { bargein: false });
      await expectHearing('caller', call, [PROMPT_HZ], [MUSIC_HZ]);
      await leg.hold({ kind: 'file', path: s().holdMusic });
      await leg.hold({ kind: 'file', path: s().holdMusic }); // idempotent
      await expectHearing('held caller', call, [MUSIC_HZ], [PROMPT_HZ]);
      await leg.unhold();
      await leg.unhold();
      await expectHearing('caller taken off hold', call, [PROMPT_HZ], [MUSIC_HZ]);
      await leg.hangup();
      expect((await playing).reason).toBe('hungup');
    } finally {
      await p.close();
    }
  });

  it('hold in a bridge: music to the held party, its voice reaches no one; unhold reconnects both ways', async () => {
    const p = parties(s());
    try {
      const a = await p.inbound(A);
      const b = await p.inbound(B);
      await a.leg.bridge(b.leg);
      await expectHearing('A', a.call, [B]);
      await expectHearing('B', b.call, [A]);
      await a.leg.hold({ kind: 'file', path: s().holdMusic });
      const markB = b.call.heard().length;
      await expectHearing('held A', a.call, [MUSIC_HZ], [B]);
      expectSilentSince('B while A is held', b.call, markB, [A, MUSIC_HZ]);
      await a.leg.unhold();
      await expectHearing('A taken off hold', a.call, [B], [MUSIC_HZ]);
      await expectHearing('B after the hold', b.call, [A]);
    } finally {
      await p.close();
    }
  });

  it('conference of three: each speaker hears the other two, never itself', async () => {
    const p = parties(s());
    const conf = s().engine.conference();
    try {
      const a = await p.inbound(A);
      const b = await p.inbound(B);
      const c = await p.outbound(C);
      for (const x of [a, b, c]) await conf.join(x.leg, { mode: 'speak' });
      expect(conf.members().map((m) => [m.leg, m.mode])).toEqual([
        [a.leg, 'speak'],
        [b.leg, 'speak'],
        [c.leg, 'speak'],
      ]);
      await expectHearing('A', a.call, [B, C], [A]);
      await expectHearing('B', b.call, [A, C], [B]);
      await expectHearing('C', c.call, [A, B], [C]);
    } finally {
      await conf.destroy();
      await p.close();
    }
  });

  it('listen: the supervisor hears both parties, neither hears the supervisor', async () => {
    const p = parties(s());
    const conf = s().engine.conference({ id: 'monitor-1' });
    try {
      expect(conf.id).toBe('monitor-1');
      const customer = await p.inbound(A);
      const agent = await p.inbound(B);
      const supervisor = await p.inbound(SUPERVISOR);
      await conf.join(customer.leg, { mode: 'speak' });
      await conf.join(agent.leg, { mode: 'speak' });
      await conf.join(supervisor.leg, { mode: 'listen' });
      await expectHearing('supervisor', supervisor.call, [A, B], [SUPERVISOR]);
      await expectHearing('customer', customer.call, [B], [SUPERVISOR, A]);
      await expectHearing('agent', agent.call, [A], [SUPERVISOR, B]);
    } finally {
      await conf.destroy();
      await p.close();
    }
  });

  it('whisper: only the agent hears the supervisor; barge-in (speak) lets the customer hear him too', async () => {
    const p = parties(s());
    const conf = s().engine.conference();
    try {
      const customer = await p.inbound(A);
      const agent = await p.inbound(B);
      const supervisor = await p.inbound(SUPERVISOR);
      await conf.join(customer.leg, { mode: 'speak' });
      await conf.join(agent.leg, { mode: 'speak' });
      await expect(conf.join(supervisor.leg, { mode: 'whisper' })).rejects.toMatchObject({
        code: 'E_WHISPER_TARGET',
      });
      await conf.join(supervisor.leg, { mode: 'whisper', to: agent.leg });
      expect(conf.members()[2]).toEqual({ leg: supervisor.leg, mode: 'whisper', to: agent.leg });
      await expectHearing('agent', agent.call, [A, SUPERVISOR], [B]);
      await expectHearing('customer', customer.call, [B], [SUPERVISOR]);
      await expectHearing('supervisor', supervisor.call, [A, B], [SUPERVISOR]);
      await conf.setMode(supervisor.leg, { mode: 'speak' });
      await expectHearing('customer after barge-in', customer.call, [B, SUPERVISOR], [A]);
    } finally {
      await conf.destroy();
      await p.close();
    }
  });

  it('a member that hangs up leaves; the others go on hearing each other', async () => {
    const p = parties(s());
    const conf = s().engine.conference();
    try {
      const a = await p.inbound(A);
      const b = await p.inbound(B);
      const c = await p.inbound(C);
      for (const x of [a, b, c]) await conf.join(x.leg, { mode: 'speak' });
      await expectHearing('A', a.call, [B, C]);
      const ended = hangupOf(c.leg);
      await c.call.hangup();
      expect(await ended).toMatchObject({ by: 'remote' });
      expect(conf.members().map((m) => m.leg)).toEqual([a.leg, b.leg]);
      await expectHearing('A after C left', a.call, [B], [C, A]);
      await expectHearing('B after C left', b.call, [A], [C, B]);
    } finally {
      await conf.destroy();
      await p.close();
    }
  });

  it('members that leave can be bridged; the one left behind hears neither', async () => {
    const p = parties(s());
    const conf = s().engine.conference();
    try {
      const a = await p.inbound(A);
      const b = await p.inbound(B);
      const c = await p.inbound(C);
      for (const x of [a, b, c]) await conf.join(x.leg, { mode: 'speak' });
      await expectHearing('C', c.call, [A, B]);
      await conf.leave(a.leg);
      await conf.leave(a.leg); // not a member any more: nothing happens
      await b.leg.bridge(a.leg); // b is still a member: bridging takes it out
      expect(conf.members().map((m) => m.leg)).toEqual([c.leg]);
      const markC = c.call.heard().length;
      await expectHearing('A bridged to B', a.call, [B], [C]);
      await expectHearing('B bridged to A', b.call, [A], [C]);
      expectSilentSince('C alone', c.call, markC, [A, B]);
    } finally {
      await conf.destroy();
      await p.close();
    }
  });

  it('records both directions of a bridged call into one file, and only the caller with mix "in"', async () => {
    const p = parties(s());
    try {
      const a = await p.inbound(A);
      const b = await p.inbound(B);
      await a.leg.bridge(b.leg);
      await expectHearing('A', a.call, [B]);
      const both = join(s().dir, 'both.wav');
      const result = await a.leg.record({ path: both, mix: 'both', maxSeconds: 2 });
      expect(result).toMatchObject({ reason: 'max-time', path: both });
      expect(result.durationMs).toBeGreaterThan(1500);
      const mixed = readWav(readFileSync(both)).samples;
      expect(presence(mixed, A)).toBeGreaterThan(0.6);
      expect(presence(mixed, B)).toBeGreaterThan(0.6);
      const only = join(s().dir, 'in.wav');
      await a.leg.record({ path: only, mix: 'in', maxSeconds: 1 });
      const said = readWav(readFileSync(only)).samples;
      expect(presence(said, A)).toBeGreaterThan(0.6);
      expect(presence(said, B)).toBeLessThan(0.04);
    } finally {
      await p.close();
    }
  });

  it("sipCallId is the peer's Call-ID, inbound and outbound", async () => {
    const p = parties(s());
    try {
      const a = await p.inbound(A);
      const c = await p.outbound(C);
      expect(a.leg.sipCallId).toBe(a.call.sipCallId);
      expect(c.leg.sipCallId).toBe(c.call.sipCallId);
      expect(a.leg.sipCallId).not.toBe(c.leg.sipCallId);
    } finally {
      await p.close();
    }
  });

  it('drain: new calls are refused with 503, it resolves when the last live call ends', async () => {
    const own = await fresh();
    const p = parties(own);
    try {
      const a = await p.inbound(A);
      let drained = false;
      const draining = own.engine.drain().then(() => (drained = true));
      const refused = await own.peer.call('expect-503');
      expect(await refused.done).toMatchObject({ ok: true });
      expect(drained).toBe(false);
      const ended = hangupOf(a.leg);
      await a.call.hangup();
      await ended;
      await draining;
      expect(drained).toBe(true);
    } finally {
      await p.close();
      await own.close();
    }
  });
}
