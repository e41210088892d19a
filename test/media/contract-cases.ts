// The media contract cases every MediaEngine must pass (embedded now, FreeSWITCH later), driven by real SIP peers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OriginateError,
  type DtmfEvent,
  type MediaEngine,
  type RefusedCall,
  type Target,
} from '../../runtime/media/contract.ts';
import { mediaCases } from './contract-cases-media.ts';
import { hangupOf, nextIncoming } from './leg-events.ts';

/** How a peer that calls the engine behaves once answered. */
export type CallerScript =
  /** Sends RFC 4733 digits 1, 5, # then waits for the engine's BYE. */
  | 'digits-then-wait-bye'
  /** Waits for the engine's BYE. */
  | 'wait-bye'
  /** Hangs up with BYE about 1.5 s after the answer. */
  | 'bye-soon'
  /** Expects a final error to its INVITE at once, without ringing, and ACKs it. */
  | 'expect-refusal'
  /** Expects the INVITE to be refused with 503 and a Retry-After (a draining engine), and ACKs it. */
  | 'expect-503';

/** How a peer the engine calls behaves. */
export type CalleeBehaviour = 'answer-wait-bye' | 'answer-then-bye' | 'busy' | 'not-found' | 'ring-forever';

export interface PeerOutcome {
  /** The peer's script ran to its end (every expected message came). */
  ok: boolean;
  detail: string;
}

/** An established call with a peer that sends one steady tone and keeps what it hears. */
export interface ToneCall {
  /** The tone the peer sends. */
  readonly hz: number;
  /** The SIP Call-ID of the call as the peer knows it. */
  readonly sipCallId: string;
  /** 8 kHz PCM the peer received so far, as it decoded it (growing while the call goes on). */
  heard(): Int16Array;
  /** The peer hangs up (BYE); resolves when its call is over. */
  hangup(): Promise<void>;
  /** Ends the peer (idempotent). */
  stop(): Promise<void>;
}

export interface ContractPeer {
  /** Starts a call to the engine; `done` settles when the peer finished. The caller's number is `caller`. */
  call(script: CallerScript): Promise<{ done: Promise<PeerOutcome> }>;
  /** Prepares a destination for `originate` that behaves as asked. */
  callee(behaviour: CalleeBehaviour): Promise<{ target: Target; done: Promise<PeerOutcome> }>;
  /** A peer sending `hz` calls the engine; `established` settles once the engine answered. */
  toneCall(hz: number): Promise<{ established: Promise<ToneCall> }>;
  /** A destination for `originate` that answers at once and sends `hz`. */
  toneCallee(hz: number): Promise<{ target: Target; established: Promise<ToneCall> }>;
  /** The caller number peers present (the `from` of incoming legs). */
  readonly caller: string;
}

export interface ContractSetup {
  engine: MediaEngine;
  peer: ContractPeer;
  /** An 8 kHz mono WAV of about 1 s: a steady 400 Hz tone (PROMPT_HZ). */
  shortPrompt: string;
  /** An 8 kHz mono WAV of a steady 400 Hz tone for several seconds (long enough to be interrupted). */
  longPrompt: string;
  /** An 8 kHz mono WAV of a steady 1800 Hz tone (MUSIC_HZ): hold music a peer can recognise. */
  holdMusic: string;
  /** A directory the engine can write recordings to and the cases can read them from. */
  dir: string;
  close(): Promise<void>;
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

    mediaCases(() => s, makeEngineAndPeer);
  });
}
