// Simulated legs held by the runtime and in a SimConference on the virtual clock: the membership rules every
// engine shares (conference-roster.ts) and who would hear whom. No audio moves here.
import { describe, expect, it } from 'vitest';
import { ConferenceError } from '../../../runtime/media/contract.ts';
import { conferenceOf } from '../../../runtime/media/conference-roster.ts';
import { EmbeddedConference } from '../../../runtime/media/embedded/conference.ts';
import { SimConference } from '../../../runtime/media/sim/conference.ts';
import { SimLeg, TTS_MS_PER_CHAR } from '../../../runtime/media/sim/sim-leg.ts';
import { VirtualClock } from '../../../runtime/media/sim/virtual-clock.ts';

function legs(clock: VirtualClock, ...names: string[]): SimLeg[] {
  return names.map((id) => new SimLeg({ clock, id }));
}

const ids = (list: { id: string }[]): string[] => list.map((l) => l.id).sort();

describe('SimLeg hold', () => {
  it('pauses a running prompt while held and logs each change on the clock', async () => {
    const clock = new VirtualClock();
    const [leg] = legs(clock, 'caller');
    const music = { kind: 'file' as const, path: '/sounds/moh.wav' };
    clock.setTimeout(() => void leg.hold(music), 300);
    clock.setTimeout(() => void leg.hold(), 400); // already held: logged, still one pause
    clock.setTimeout(() => void leg.unhold(), 1300);
    const text = 'abcdefghij'; // 1500 ms of speech
    const result = await clock.run(leg.play([{ kind: 'tts', text }], { bargein: false }));
    expect(result.reason).toBe('completed');
    expect(clock.now()).toBe(text.length * TTS_MS_PER_CHAR + 1000);
    expect(leg.played[0].playedMs).toBe(text.length * TTS_MS_PER_CHAR);
    expect(leg.holds).toEqual([
      { at: 300, on: true, music },
      { at: 400, on: true },
      { at: 1300, on: false },
    ]);
    await leg.unhold();
    expect(leg.holds).toHaveLength(3);
    expect([clock.pendingTimers(), leg.listenerCount()]).toEqual([0, 0]);
  });

  it('starts a prompt played during a hold only once unheld; a hang-up still ends it', async () => {
    const clock = new VirtualClock();
    const [leg] = legs(clock, 'caller');
    await leg.hold();
    clock.setTimeout(() => leg.hangupFromCaller(), 5000);
    const result = await clock.run(leg.play([{ kind: 'tts', text: 'ab' }], { bargein: false }));
    expect([result.reason, clock.now(), leg.played[0].playedMs]).toEqual(['hungup', 5000, 0]);
  });
});

describe('SimConference (the shared membership rules)', () => {
  it('speak, listen and whisper decide who hears whom; a held member hears and is heard by no one', async () => {
    const clock = new VirtualClock();
    const [customer, agent, supervisor] = legs(clock, 'customer', 'agent', 'supervisor');
    const conf = new SimConference();
    await conf.join(customer, { mode: 'speak' });
    await conf.join(agent, { mode: 'speak' });
    await conf.join(supervisor, { mode: 'listen' });
    expect(ids(conf.hears(supervisor))).toEqual(['agent', 'customer']);
    expect(ids(conf.hears(customer))).toEqual(['agent']);
    await conf.setMode(supervisor, { mode: 'whisper', to: agent });
    expect(ids(conf.hears(agent))).toEqual(['customer', 'supervisor']);
    expect(ids(conf.hears(customer))).toEqual(['agent']);
    await customer.hold();
    expect([conf.hears(customer), ids(conf.hears(agent))]).toEqual([[], ['supervisor']]);
    await customer.unhold();
    await conf.join(supervisor, { mode: 'speak' }); // a member joining again changes its mode
    expect(conf.members().map((m) => [m.leg.id, m.mode])).toEqual([
      ['customer', 'speak'],
      ['agent', 'speak'],
      ['supervisor', 'speak'],
    ]);
  });

  it('refuses bad requests with codes', async () => {
    const clock = new VirtualClock();
    const [a, b, gone] = legs(clock, 'a', 'b', 'gone');
    const conf = new SimConference({ id: 'room' });
    expect(conf.id).toBe('room');
    await gone.hangup();
    const code = (p: Promise<unknown>) =>
      p.then(
        () => 'ok',
        (e: ConferenceError) => e.code,
      );
    expect(await code(conf.join(gone, { mode: 'speak' }))).toBe('E_LEG_ENDED');
    expect(await code(conf.join(a, { mode: 'whisper' }))).toBe('E_WHISPER_TARGET');
    expect(await code(conf.join(a, { mode: 'whisper', to: b }))).toBe('E_WHISPER_TARGET'); // b is no member
    await conf.join(a, { mode: 'speak' });
    expect(await code(conf.setMode(a, { mode: 'whisper', to: a }))).toBe('E_WHISPER_TARGET');
    expect(await code(conf.setMode(b, { mode: 'listen' }))).toBe('E_NOT_MEMBER');
    expect(await code(new EmbeddedConference().join(a, { mode: 'speak' }))).toBe('E_FOREIGN_LEG');
    await conf.destroy();
    expect(await code(conf.join(b, { mode: 'speak' }))).toBe('E_DESTROYED');
  });

  it('a leg is in one conference: joining another, bridging or hanging up takes it out', async () => {
    const clock = new VirtualClock();
    const [a, b, c] = legs(clock, 'a', 'b', 'c');
    const first = new SimConference();
    const second = new SimConference();
    await first.join(a, { mode: 'speak' });
    await first.join(b, { mode: 'speak' });
    await first.join(c, { mode: 'whisper', to: b });
    await second.join(a, { mode: 'listen' });
    expect([ids(first.members().map((m) => m.leg)), conferenceOf(a)]).toEqual([['b', 'c'], second]);
    await b.bridge(a);
    expect([ids(first.members().map((m) => m.leg)), second.members(), conferenceOf(b)]).toEqual([
      ['c'],
      [],
      undefined,
    ]);
    // The whisperer's target left: it stays a member, heard by no one.
    expect(first.members()).toEqual([{ leg: c, mode: 'whisper', to: b }]);
    c.hangupFromCaller();
    expect(first.members()).toEqual([]);
    expect([a.listenerCount('hangup'), c.listenerCount('hangup')]).toEqual([0, 0]);
  });

  it('destroy takes every member out without hanging anyone up', async () => {
    const clock = new VirtualClock();
    const [a, b] = legs(clock, 'a', 'b');
    const conf = new SimConference();
    await conf.join(a, { mode: 'speak' });
    await conf.join(b, { mode: 'listen' });
    await conf.destroy();
    expect([conf.members(), a.state, b.state, conferenceOf(a)]).toEqual([
      [],
      'answered',
      'answered',
      undefined,
    ]);
  });
});
