// Field and digit collection on virtual time: barge-in, repeats, no-input, inter-digit timeout, #, length.
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, makeSounds, simulate, xml } from './session-harness.ts';

const sounds = makeSounds();
afterAll(() => sounds.cleanup());
const soundRoot = sounds.root;

/** A field form with a prompt of a.wav (1000 ms), then a goto-less end. */
function fieldDoc(
  attrs: string,
  prompt = '<tns:prompt repeat="1" bargein="true"><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt>',
) {
  return xml(`<tns:form id="main"><tns:field name="code" ${attrs}>${prompt}</tns:field></tns:form>`);
}

describe('field', () => {
  it('collects up to length digits and ends at once when the length is reached', async () => {
    const run = await simulate(fieldDoc('length="4" inputexpires="3000"'), { soundRoot, keys: '123456' });
    expect(run.result.vars.input).toBe('1234');
    expect(run.result.vars.code).toBe('1234');
    const end = run.of('collect.end')[0];
    expect(end.reason).toBe('length');
    // collect.start at 0 (barge-in prompt), keys at 200, 400, 600, 800: the 4th key ends it.
    expect(end.t).toBe(800);
    expect(run.result.endReason).toBe('end-of-document');
    expect(run.result.result).toBe('state=1;code=1234');
    expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it('ends input on # without keeping it', async () => {
    const run = await simulate(fieldDoc('length="20"'), { soundRoot, keys: '12#' });
    expect(run.result.vars.input).toBe('12');
    expect(run.of('collect.end')[0]).toMatchObject({ reason: 'terminator', digits: '12' });
  });

  it('ends input after inputexpires of silence between digits', async () => {
    const run = await simulate(fieldDoc('length="20" inputexpires="3000"'), { soundRoot, keys: '12' });
    const end = run.of('collect.end')[0];
    expect(end).toMatchObject({ reason: 'timeout', digits: '12' });
    // Last key at 400 ms, then 3000 ms of silence.
    expect(end.t).toBe(3400);
  });

  it('a key during a barge-in prompt stops it and counts as the first digit', async () => {
    const run = await simulate(fieldDoc('length="2"'), { soundRoot, keys: '98' });
    expect(run.result.vars.input).toBe('98');
    const promptEnd = run.of('prompt.end')[0];
    expect(promptEnd).toMatchObject({ reason: 'interrupted', digit: '9', t: 200 });
    expect(run.leg.played[0].playedMs).toBe(200);
  });

  it('keys during a prompt without barge-in are discarded; collection starts when it ends', async () => {
    const prompt = '<tns:prompt repeat="1" bargein="false"><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt>';
    const run = await simulate(fieldDoc('length="2" inputexpires="2000"', prompt), {
      soundRoot,
      onEvent: (ev, { leg }) => {
        // Pressed while the prompt plays: must be dropped.
        if (ev.type === 'prompt.start') leg.pressKeys('55');
      },
      keys: '7',
    });
    expect(run.of('prompt.end')[0]).toMatchObject({ reason: 'completed', t: 1000 });
    expect(run.of('collect.start')[0].t).toBe(1000);
    expect(run.result.vars.input).toBe('7');
    expect(run.of('collect.end')[0]).toMatchObject({ reason: 'timeout', t: 1200 + 2000 });
  });

  it('replays the prompt repeat times while no input arrives, then ends with empty input', async () => {
    const prompt = '<tns:prompt repeat="3" bargein="true"><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt>';
    const run = await simulate(
      fieldDoc('length="4" inputexpires="2000" check="http://127.0.0.1:1/never"', prompt),
      {
        soundRoot,
      },
    );
    expect(run.of('prompt.start').map((e) => [e.t, e.play])).toEqual([
      [0, 1],
      [3000, 2],
      [6000, 3],
    ]);
    expect(run.of('collect.end')[0]).toMatchObject({ reason: 'no-input', digits: '', t: 9000 });
    // Empty input skips the check.
    expect(run.of('check.request')).toHaveLength(0);
    expect(run.result.vars.input).toBe('');
    expect(run.result.vars.input_checked).toBe('');
    expect(run.result.result).toBe('state=1;code=');
  });

  it('repeat="0" plays once', async () => {
    const prompt = '<tns:prompt repeat="0" bargein="true"><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt>';
    const run = await simulate(fieldDoc('length="1" inputexpires="1000"', prompt), { soundRoot });
    expect(run.of('prompt.start')).toHaveLength(1);
    expect(run.of('collect.end')[0]).toMatchObject({ reason: 'no-input', t: 2000 });
  });

  it('input in the second round stops further replays', async () => {
    const prompt = '<tns:prompt repeat="5" bargein="true"><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt>';
    const run = await simulate(fieldDoc('length="1" inputexpires="1000"', prompt), { soundRoot, keys: '_' });
    expect(run.of('prompt.start')).toHaveLength(5);
    const run2 = await simulate(
      xml(`<tns:form id="main">
        <tns:field name="a" length="1" inputexpires="1000">${prompt}</tns:field>
        <tns:field name="b" length="1" inputexpires="1000">${prompt}</tns:field></tns:form>`),
      { soundRoot, keys: '_,4' },
    );
    expect(run2.result.vars.a).toBe('');
    expect(run2.result.vars.b).toBe('4');
    expect(run2.result.result).toBe('state=1;a=;b=4');
  });

  it('length="0" only plays its prompts and presets the value', async () => {
    const prompt =
      '<tns:prompt repeat="2" bargein="false"><tns:audio src="[FILE_PATH]/a.wav"/><tns:audio src="[FILE_PATH]/b.wav"/></tns:prompt>';
    const run = await simulate(fieldDoc('length="0" value="deafult"', prompt), { soundRoot, keys: '1' });
    expect(run.of('collect.start')).toHaveLength(0);
    expect(run.leg.played.map((p) => [p.startedAt, p.durationMs])).toEqual([
      [0, 1000],
      [1000, 2000],
      [3000, 1000],
      [4000, 2000],
    ]);
    expect(run.result.vars.code).toBe('deafult');
    expect(run.result.result).toBe('state=1');
    expect(run.caller.remainingTurns).toBe(1);
  });

  it('a missing audio file is traced and the call goes on', async () => {
    const prompt =
      '<tns:prompt bargein="true"><tns:audio src="[FILE_PATH]/missing.wav"/><tns:audio src="[FILE_PATH]/x/c.wav"/></tns:prompt>';
    const run = await simulate(fieldDoc('length="1"', prompt), { soundRoot, keys: '3' });
    expect(run.of('error')[0]).toMatchObject({ code: 'E_AUDIO' });
    expect(run.of('error')[0].message).toContain('missing.wav');
    expect(run.leg.played.map((p) => p.durationMs)).toEqual([500]);
    expect(run.result.vars.input).toBe('3');
  });

  it('audio outside the sound root is refused', async () => {
    const prompt = '<tns:prompt><tns:audio src="[FILE_PATH]/../../etc/passwd"/></tns:prompt>';
    const run = await simulate(fieldDoc('length="1" inputexpires="100"', prompt), { soundRoot });
    expect(run.of('error')[0]).toMatchObject({ code: 'E_AUDIO_PATH' });
    expect(run.leg.played).toHaveLength(0);
  });
});
