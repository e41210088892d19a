// Menus and choices: a key picks its choice, `other` catches other keys and no input, unmatched keys repeat.
import { afterAll, describe, expect, it } from 'vitest';
import { leftovers, makeSounds, simulate, xml } from './session-harness.ts';

const sounds = makeSounds();
afterAll(() => sounds.cleanup());
const soundRoot = sounds.root;

const announce = (bargein: boolean, repeat = 1) =>
  `<tns:field name="default" length="0" inputexpires="3000"><tns:prompt repeat="${repeat}" bargein="${bargein}"><tns:audio src="[FILE_PATH]/a.wav"/></tns:prompt></tns:field>`;

const targets = `
  <tns:form id="one"><tns:assign name="picked" expr="'one'"/><tns:hangup/></tns:form>
  <tns:form id="two"><tns:assign name="picked" expr="'two'"/><tns:hangup/></tns:form>
  <tns:form id="fallback"><tns:assign name="picked" expr="'other'"/><tns:hangup/></tns:form>`;

function menu(choices: string, bargein = true, repeat = 1) {
  return xml(`<tns:menu id="main">${announce(bargein, repeat)}${choices}</tns:menu>${targets}`);
}

const withOther =
  '<tns:choice dtmf="1" next="#one"/><tns:choice dtmf="2" next="#two"/><tns:choice dtmf="other" next="#fallback"/>';

describe('menu', () => {
  it('follows the choice of the key pressed (barge-in)', async () => {
    const run = await simulate(menu(withOther), { soundRoot, keys: '2' });
    expect(run.result.vars.picked).toBe('two');
    expect(run.result.vars.input).toBe('2');
    expect(run.of('choice')[0]).toMatchObject({ dtmf: '2', next: '#two', t: 200 });
    expect(run.of('prompt.end')[0].reason).toBe('interrupted');
    expect(run.result.endReason).toBe('hangup');
    expect(run.result.result).toBe('state=1');
    expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it('other catches a key without its own choice', async () => {
    const run = await simulate(menu(withOther), { soundRoot, keys: '9' });
    expect(run.result.vars.picked).toBe('other');
    expect(run.of('choice')[0]).toMatchObject({ dtmf: '9', next: '#fallback' });
  });

  it('other catches no input, after the prompt repeats and inputexpires', async () => {
    const run = await simulate(menu(withOther, true, 2), { soundRoot });
    expect(run.result.vars.picked).toBe('other');
    expect(run.of('prompt.start')).toHaveLength(2);
    // Two rounds of 1000 ms prompt + 3000 ms wait.
    expect(run.of('choice')[0]).toMatchObject({ dtmf: '', t: 8000 });
  });

  it('# is a key like any other in a menu', async () => {
    const run = await simulate(menu('<tns:choice dtmf="#" next="#one"/><tns:choice dtmf="2" next="#two"/>'), {
      soundRoot,
      keys: '#',
    });
    expect(run.result.vars.picked).toBe('one');
  });

  it('an unmatched key without other starts the menu again', async () => {
    const run = await simulate(menu('<tns:choice dtmf="1" next="#one"/>'), { soundRoot, keys: '7,1' });
    expect(run.of('form.enter').map((e) => e.form)).toEqual(['main', 'main', 'one']);
    expect(run.result.vars.picked).toBe('one');
  });

  it('a silent caller on a menu without other ends on the no-input budget', async () => {
    const run = await simulate(menu('<tns:choice dtmf="1" next="#one"/>'), { soundRoot, maxNoInputTurns: 3 });
    expect(run.result.endReason).toBe('no-input-budget');
    expect(run.of('collect.end').map((e) => e.reason)).toEqual(['no-input', 'no-input', 'no-input']);
    expect(leftovers(run)).toEqual({ timers: 0, holds: 0, listeners: 0 });
  });

  it('keys during a menu prompt without barge-in are discarded', async () => {
    const run = await simulate(menu(withOther, false), {
      soundRoot,
      onEvent: (ev, { leg }) => {
        if (ev.type === 'prompt.start') leg.pressKeys('1');
      },
      keys: '2',
    });
    expect(run.of('prompt.end')[0].reason).toBe('completed');
    expect(run.result.vars.picked).toBe('two');
  });

  it('a menu whose only choice is other plays its prompt and goes on without waiting', async () => {
    const run = await simulate(menu('<tns:choice dtmf="other" next="hungup"/>', false), {
      soundRoot,
      keys: '5',
    });
    expect(run.of('collect.start')).toHaveLength(0);
    expect(run.result.endReason).toBe('hangup');
    expect(run.of('hangup')[0].t).toBe(1000);
    expect(run.caller.remainingTurns).toBe(1);
  });

  it('a named menu field records the key in the result', async () => {
    const doc = xml(`<tns:menu id="main">
      <tns:field name="satisfact" inputexpires="3000"><tns:prompt><tns:tts>rate us</tns:tts></tns:prompt></tns:field>
      <tns:choice dtmf="8" next="hungup"/><tns:choice dtmf="other" next="hungup"/></tns:menu>`);
    const run = await simulate(doc, { soundRoot, keys: '8' });
    expect(run.result.result).toBe('state=1;satisfact=8');
  });

  it('items before the announcement run as in a form; a goto there leaves the menu', async () => {
    const d = (caller: string) =>
      xml(`<tns:menu id="main">
        <tns:assign name="vip" expr="caller == '${caller}'"/>
        <tns:if cond="vip == 'true'"><tns:goto next="#two"/></tns:if>
        ${announce(true)}
        <tns:choice dtmf="1" next="#one"/></tns:menu>${targets}`);
    const vip = await simulate(d('13800000000'), { soundRoot, keys: '1' });
    expect(vip.result.vars.picked).toBe('two');
    expect(vip.of('collect.start')).toHaveLength(0);
    const normal = await simulate(d('1'), { soundRoot, keys: '1' });
    expect(normal.result.vars).toMatchObject({ vip: 'false', picked: 'one' });
    expect(normal.of('branch')[0]).toMatchObject({ index: -1, item: '1' });
    expect(normal.of('collect.start')[0]).toMatchObject({ item: '2', field: 'default' });
  });
});
