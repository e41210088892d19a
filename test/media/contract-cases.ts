// The media contract cases every MediaEngine must pass (embedded now, FreeSWITCH later), driven by real SIP peers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OriginateError,
  type CallLeg,
  type DtmfEvent,
  type HangupCause,
  type MediaEngine,
  type RefusedCall,
  type Target,
} from '../../runtime/media/contract.ts';

/** How a peer that calls the engine behaves once answered. */
export type CallerScript =
  /** Sends RFC 4733 digits 1, 5, # then waits for the engine's BYE. */
  | 'digits-then-wait-bye'
  /** Waits for the engine's BYE. */
  | 'wait-bye'
  /** Hangs up with BYE about 1.5 s after the answer. */
  | 'bye-soon'
  /** Expects a final error to its INVITE at once, without ringing, and ACKs it. */
  | 'expect-refusal';

/** How a peer the engine calls behaves. */
export type CalleeBehaviour = 'answer-wait-bye' | 'answer-then-bye' | 'busy' | 'not-found' | 'ring-forever';

export interface PeerOutcome {
  /** The peer's script ran to its end (every expected message came). */
  ok: boolean;
  detail: string;
}

export interface ContractPeer {
  /** Starts a call to the engine; `done` settles when the peer finished. The caller's number is `caller`. */
  call(script: CallerScript): Promise<{ done: Promise<PeerOutcome> }>;
  /** Prepares a destination for `originate` that behaves as asked. */
  callee(behaviour: CalleeBehaviour): Promise<{ target: Target; done: Promise<PeerOutcome> }>;
  /** The caller number peers present (the `from` of incoming legs). */
  readonly caller: string;
}

export interface ContractSetup {
  engine: MediaEngine;
  peer: ContractPeer;
  /** An 8 kHz mono WAV of about 1 s. */
  shortPrompt: string;
  /** An 8 kHz mono WAV of several seconds (long enough to be interrupted). */
  longPrompt: string;
  close(): Promise<void>;
}

function nextIncoming(engine: MediaEngine): Promise<CallLeg> {
  return new Promise((resolve) => {
    const on = (leg: CallLeg): void => {
      engine.off('incoming', on);
      resolve(leg);
    };
    engine.on('incoming', on);
  });
}

function hangupOf(leg: CallLeg): Promise<{ cause: HangupCause; by: 'local' | 'remote' }> {
  return new Promise((resolve) => leg.on('hangup', resolve));
}

/** Registers the contract cases as a vitest `describe` block named after the engine. */
export function runMediaContractCases(name: string, makeEngineAndPeer: () => Promise<ContractSetup>): void {
  describe(`media contract: ${name}`, () => {
    let s: ContractSetup;
    beforeAll(async () => {
      s = await makeEngineAndPeer();
    });
    afterAll(async () => {
      await s?.close();
    });

    it('rings an incoming call, answers it, hangs up: the caller gets our BYE', async () => {
      const incoming = nextIncoming(s.engine);
      const { done } = await s.peer.call('wait-bye');
      const leg = await incoming;
      expect(leg).toMatchObject({ direction: 'inbound', state: 'ringing', from: s.peer.caller });
      const states: string[] = [];
      leg.on('state', (st) => states.push(st));
      const ended = hangupOf(leg);
      await leg.answer();
      expect(leg.state).toBe('answered');
      await leg.hangup('normal');
      expect(await ended).toEqual({ cause: 'normal', by: 'local' });
      expect(states).toEqual(['answered', 'ended']);
      expect(await done).toMatchObject({ ok: true });
      await leg.hangup(); // idempotent
    });

    it('plays a prompt to the end', async () => {
      const incoming = nextIncoming(s.engine);
      const { done } = await s.peer.call('wait-bye');
      const leg = await incoming;
      await leg.answer();
      const started = Date.now();
      const result = await leg.play([{ kind: 'file', path: s.shortPrompt }], { bargein: false });
      expect(result).toEqual({ reason: 'completed', errors: [] });
      expect(Date.now() - started).toBeGreaterThanOrEqual(800); // a 1 s prompt plays in real time
      await leg.hangup();
      expect(await done).toMatchObject({ ok: true });
    });

    it('reports a missing file as an error and goes on', async () => {
      const incoming = nextIncoming(s.engine);
      const { done } = await s.peer.call('wait-bye');
      const leg = await incoming;
      await leg.answer();
      const missing = { kind: 'file' as const, path: '/nonexistent/prompt.wav' };
      const result = await leg.play([missing, { kind: 'file', path: s.shortPrompt }], { bargein: false });
      expect(result.reason).toBe('completed');
      expect(result.errors).toEqual([{ source: missing, message: expect.any(String) }]);
      await leg.hangup();
      expect(await done).toMatchObject({ ok: true });
    });

    it('delivers each digit once, barge-in stops the prompt on the first', async () => {
      const incoming = nextIncoming(s.engine);
      const { done } = await s.peer.call('digits-then-wait-bye');
      const leg = await incoming;
      const digits: DtmfEvent[] = [];
      const three = new Promise<void>((resolve) =>
        leg.on('dtmf', (e) => {
          digits.push(e);
          if (digits.length === 3) resolve();
        }),
      );
      await leg.answer();
      const result = await leg.play([{ kind: 'file', path: s.longPrompt }], { bargein: true });
      expect(result).toMatchObject({ reason: 'interrupted', digit: '1' });
      await three;
      await leg.hangup();
      expect(digits.map((d) => d.digit)).toEqual(['1', '5', '#']);
      expect(await done).toMatchObject({ ok: true });
    });

    it('ends the leg when the caller hangs up during a prompt', async () => {
      const incoming = nextIncoming(s.engine);
      const { done } = await s.peer.call('bye-soon');
      const leg = await incoming;
      const ended = hangupOf(leg);
      await leg.answer();
      const result = await leg.play([{ kind: 'file', path: s.longPrompt }], { bargein: false });
      expect(result.reason).toBe('hungup');
      expect(await ended).toMatchObject({ by: 'remote' });
      expect(leg.state).toBe('ended');
      expect(await leg.play([{ kind: 'file', path: s.shortPrompt }], { bargein: false })).toMatchObject({
        reason: 'hungup',
      });
      expect(await done).toMatchObject({ ok: true });
    });

    it('originates a call that is answered, then hangs it up', async () => {
      const { target, done } = await s.peer.callee('answer-wait-bye');
      const leg = await s.engine.originate(target, { from: '100', timeoutSec: 10 });
      expect(leg).toMatchObject({ direction: 'outbound', state: 'answered' });
      await leg.hangup();
      expect(await done).toMatchObject({ ok: true });
    });

    it('sees the callee hang up an originated call', async () => {
      const { target, done } = await s.peer.callee('answer-then-bye');
      const leg = await s.engine.originate(target, { from: '100', timeoutSec: 10 });
      expect(await hangupOf(leg)).toMatchObject({ by: 'remote' });
      expect(await done).toMatchObject({ ok: true });
    });

    it.each([
      ['busy', 'busy', 486],
      ['not-found', 'not-found', 404],
    ] as const)(
      'originate to a %s callee rejects with OriginateError(%s)',
      async (behaviour, outcome, status) => {
        const { target, done } = await s.peer.callee(behaviour);
        const err = await s.engine
          .originate(target, { from: '100', timeoutSec: 10 })
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(OriginateError);
        expect(err).toMatchObject({ outcome, sipStatus: status });
        expect(await done).toMatchObject({ ok: true });
      },
    );

    it('asks the admission hook before ringing: a reject answers at once and is emitted as refused', async () => {
      const asked: string[] = [];
      s.engine.setAdmission((req) => {
        asked.push(`${req.from}->${req.to}`);
        return { action: 'reject', status: 486, reason: 'contract busy' };
      });
      const rang = (): void => {
        throw new Error('a rejected INVITE must not ring');
      };
      s.engine.on('incoming', rang);
      try {
        const refused = new Promise<RefusedCall>((resolve) => s.engine.on('refused', resolve));
        const { done } = await s.peer.call('expect-refusal');
        expect(await refused).toMatchObject({ from: s.peer.caller, status: 486, reason: 'contract busy' });
        expect(await done).toMatchObject({ ok: true });
        expect(asked).toHaveLength(1);
        expect(asked[0]).toMatch(new RegExp(`^${s.peer.caller}->`));
      } finally {
        s.engine.off('incoming', rang);
        s.engine.setAdmission(() => ({ action: 'accept' }));
      }
    });

    it('gives up ringing after timeoutSec with no-answer (and cancels the callee)', async () => {
      const { target, done } = await s.peer.callee('ring-forever');
      const err = await s.engine.originate(target, { from: '100', timeoutSec: 1 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ outcome: 'no-answer' });
      expect(await done).toMatchObject({ ok: true });
    });
  });
}
