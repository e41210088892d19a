// The simulator's parts: virtual clock, WAV durations, the simulated leg and the scripted caller.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseKeyScript, ScriptedCaller } from '../../../runtime/media/sim/scripted-caller.ts';
import { SimLeg, TTS_MS_PER_CHAR } from '../../../runtime/media/sim/sim-leg.ts';
import { VirtualClock } from '../../../runtime/media/sim/virtual-clock.ts';
import { wavDurationMs, writeSilentWav } from '../../../runtime/media/sim/wav.ts';

const dir = mkdtempSync(join(tmpdir(), 'ivr-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('VirtualClock', () => {
  it('fires timers in due order (then creation order) only when driven', async () => {
    const clock = new VirtualClock(1000);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('a'), 10);
    clock.setTimeout(() => fired.push('c'), 20);
    const gone = clock.setTimeout(() => fired.push('x'), 5);
    clock.clearTimeout(gone);
    expect(fired).toEqual([]);
    await clock.advance(15);
    expect([fired, clock.now()]).toEqual([['a'], 1015]);
    await clock.advance(100);
    expect([fired, clock.now(), clock.pendingTimers()]).toEqual([['a', 'b', 'c'], 1115, 0]);
  });

  it('run() jumps from timer to timer until the promise settles', async () => {
    const clock = new VirtualClock();
    const wait = (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms));
    const work = (async () => {
      await wait(60_000);
      await wait(1);
      return clock.now();
    })();
    expect(await clock.run(work)).toBe(60_001);
  });

  it('run() rejects like the promise', async () => {
    const clock = new VirtualClock();
    const failing = new Promise((_, reject) => clock.setTimeout(() => reject(new Error('boom')), 10));
    await expect(clock.run(failing)).rejects.toThrow('boom');
  });

  it('does not advance while held', async () => {
    const clock = new VirtualClock();
    let release: () => void = () => undefined;
    let timerFiredAt = -1;
    clock.setTimeout(() => (timerFiredAt = clock.now()), 5);
    const work = (async () => {
      release = clock.hold();
      // Real work: the held clock must not move meanwhile.
      await new Promise((r) => setTimeout(r, 30));
      const during = clock.now();
      release();
      await new Promise<void>((r) => clock.setTimeout(r, 10));
      return during;
    })();
    expect(await clock.run(work)).toBe(0);
    expect(timerFiredAt).toBe(5);
    expect(clock.pendingHolds()).toBe(0);
  });
});

describe('wav', () => {
  it('reads the duration from the RIFF header, past extra chunks', () => {
    const file = join(dir, 'a.wav');
    writeSilentWav(file, 1234);
    expect(wavDurationMs(file)).toBe(1234);
    // A u-law file (byte rate 8000) with a LIST chunk before data.
    const list = Buffer.concat([
      Buffer.from('LIST'),
      Buffer.from([5, 0, 0, 0]),
      Buffer.from('INFOx'),
      Buffer.from([0]),
    ]);
    const fmt = Buffer.alloc(26);
    fmt.write('fmt ', 0);
    fmt.writeUInt32LE(18, 4);
    fmt.writeUInt16LE(7, 8);
    fmt.writeUInt16LE(1, 10);
    fmt.writeUInt32LE(8000, 12);
    fmt.writeUInt32LE(8000, 16);
    const data = Buffer.concat([Buffer.from('data'), Buffer.from([0x40, 0x1f, 0, 0]), Buffer.alloc(8000)]);
    const riff = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVE'), fmt, list, data]);
    writeFileSync(join(dir, 'ulaw.wav'), riff);
    expect(wavDurationMs(join(dir, 'ulaw.wav'))).toBe(1000);
  });

  it('throws on missing and non-WAV files', () => {
    writeFileSync(join(dir, 'text.wav'), 'hello there, not a wav');
    expect(() => wavDurationMs(join(dir, 'text.wav'))).toThrow('not a RIFF/WAVE file');
    expect(() => wavDurationMs(join(dir, 'none.wav'))).toThrow();
  });
});

describe('SimLeg', () => {
  it('plays files for their length and TTS for the estimate; a missing file is an error and play goes on', async () => {
    const clock = new VirtualClock();
    const leg = new SimLeg({ clock });
    writeSilentWav(join(dir, 'b.wav'), 700);
    const sources = [
      { kind: 'file' as const, path: join(dir, 'nope.wav') },
      { kind: 'file' as const, path: join(dir, 'b.wav') },
      { kind: 'tts' as const, text: '你好' },
    ];
    const result = await clock.run(leg.play(sources, { bargein: false }));
    expect(result.reason).toBe('completed');
    expect(result.errors.map((e) => e.source)).toEqual([sources[0]]);
    expect(clock.now()).toBe(700 + 2 * TTS_MS_PER_CHAR);
    expect(leg.listenerCount()).toBe(0);
  });

  it('barge-in stops playback on a key; without barge-in keys do not', async () => {
    const clock = new VirtualClock();
    const leg = new SimLeg({ clock });
    const keys: string[] = [];
    leg.on('dtmf', (ev) => keys.push(ev.digit));
    clock.setTimeout(() => leg.pressKeys('4'), 300);
    const barged = await clock.run(leg.play([{ kind: 'tts', text: 'abcdefghij' }], { bargein: true }));
    expect([barged, clock.now(), keys]).toEqual([
      { reason: 'interrupted', digit: '4', errors: [] },
      300,
      ['4'],
    ]);
    clock.setTimeout(() => leg.pressKeys('5'), 300);
    const kept = await clock.run(leg.play([{ kind: 'tts', text: 'abcdefghij' }], { bargein: false }));
    expect([kept.reason, clock.now()]).toEqual(['completed', 1800]);
  });

  it('abort and hang-up stop playback; an ended leg ignores keys and hang-ups', async () => {
    const clock = new VirtualClock();
    const leg = new SimLeg({ clock });
    const abort = new AbortController();
    clock.setTimeout(() => abort.abort(), 100);
    expect(
      (
        await clock.run(
          leg.play([{ kind: 'tts', text: 'long text' }], { bargein: true, signal: abort.signal }),
        )
      ).reason,
    ).toBe('aborted');
    const hangups: unknown[] = [];
    leg.on('hangup', (ev) => hangups.push(ev));
    clock.setTimeout(() => leg.hangupFromCaller(), 100);
    expect((await clock.run(leg.play([{ kind: 'tts', text: 'long text' }], { bargein: true }))).reason).toBe(
      'hungup',
    );
    await leg.hangup();
    leg.hangupFromCaller();
    expect(hangups).toEqual([{ cause: 'caller-hangup', by: 'remote' }]);
    expect(leg.state).toBe('ended');
    expect((await leg.play([{ kind: 'tts', text: 'x' }], { bargein: true })).reason).toBe('hungup');
  });
});

describe('keys script', () => {
  it('parses turns, timeouts and hang-ups', () => {
    expect(parseKeyScript('13800000000#, 0101,_,,1!,!')).toEqual([
      { keys: '13800000000#', hangup: false },
      { keys: '0101', hangup: false },
      { keys: '', hangup: false },
      { keys: '', hangup: false },
      { keys: '1', hangup: true },
      { keys: '', hangup: true },
    ]);
    expect(parseKeyScript('')).toEqual([]);
    expect(() => parseKeyScript('12,x')).toThrow('turn 2');
  });

  it('presses a turn 200 ms after each collect.start, 200 ms apart, and drops the rest at collect.end', async () => {
    const clock = new VirtualClock();
    const leg = new SimLeg({ clock });
    const pressed: [string, number][] = [];
    leg.on('dtmf', (ev) => pressed.push([ev.digit, ev.at]));
    const caller = new ScriptedCaller(leg, clock, '123,_,9!');
    caller.onTrace({ type: 'collect.start' });
    await clock.advance(450);
    caller.onTrace({ type: 'collect.end' });
    await clock.advance(1000);
    expect(pressed).toEqual([
      ['1', 200],
      ['2', 400],
    ]);
    caller.onTrace({ type: 'collect.start' });
    await clock.advance(1000);
    expect(pressed).toHaveLength(2);
    caller.onTrace({ type: 'collect.start' });
    await clock.advance(1000);
    expect(pressed.at(-1)).toEqual(['9', 2650]);
    expect(leg.state).toBe('ended');
    expect(leg.hangupCause).toBe('caller-hangup');
    expect([caller.remainingTurns, clock.pendingTimers(), leg.listenerCount()]).toEqual([0, 0, 1]);
  });
});
