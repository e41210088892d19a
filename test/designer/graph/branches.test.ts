// Branch edits on a Collect node and a Menu: add/remove conditions and keys, edit them, add steps to a branch.
import { describe, expect, it } from 'vitest';
import type { Form, If } from '../../../schema/ast.ts';
import {
  addBranchPrompt,
  addChoice,
  addCondition,
  exitsOf,
  freeKey,
  removeExit,
  setChoiceKey,
  setCondition,
  templateForm,
} from '../../../designer/src/graph/index.ts';

const iff = (f: Form) => f.items.find((i): i is If => i.type === 'if')!;
const exit = (f: Form, label: string) => exitsOf(f).find((e) => e.label === label)!;

describe('branch edits', () => {
  it('adds conditions as elseifs of the existing if, each with an open exit', () => {
    let f = templateForm('collect', 'ask');
    f = addCondition(f, "input == '2'");
    expect(iff(f).elseifs).toEqual([{ cond: "input == '2'", items: [] }]);
    expect(exitsOf(f).map((e) => [e.on, e.label, e.open])).toEqual([
      ['cond', "input == '1'", true],
      ['cond', "input == '2'", true],
      ['else', 'else', true],
    ]);
  });

  it('adds an if after the field, before a trailing goto, when the form has none', () => {
    const f: Form = {
      type: 'form',
      kind: 'form',
      id: 'a',
      items: [
        { type: 'field', length: 1, prompts: [] },
        { type: 'goto', next: '#b' },
      ],
    };
    const g = addCondition(f, "input == '9'");
    expect(g.items.map((i) => i.type)).toEqual(['field', 'if', 'goto']);
  });

  it('edits a condition of then and of elseif branches', () => {
    let f = addCondition(templateForm('collect', 'ask'), "input == '2'");
    f = setCondition(f, exit(f, "input == '1'"), "input == '7'");
    f = setCondition(f, exit(f, "input == '2'"), "input == '8'");
    expect(iff(f).cond).toBe("input == '7'");
    expect(iff(f).elseifs[0].cond).toBe("input == '8'");
  });

  it('removes the then branch by promoting the first elseif, and removes an elseif', () => {
    let f = addCondition(addCondition(templateForm('collect', 'ask'), "input == '2'"), "input == '3'");
    f = removeExit(f, exit(f, "input == '1'"));
    expect(iff(f).cond).toBe("input == '2'");
    expect(iff(f).elseifs.map((e) => e.cond)).toEqual(["input == '3'"]);
    f = removeExit(f, exit(f, "input == '3'"));
    expect(iff(f).elseifs).toEqual([]);
    f = removeExit(f, exit(f, "input == '2'"));
    expect(f.items.some((i) => i.type === 'if')).toBe(false);
  });

  it('adds a play step to a branch before its goto', () => {
    const f: Form = {
      type: 'form',
      kind: 'form',
      id: 'a',
      items: [{ type: 'if', cond: 'x', then: [{ type: 'goto', next: '#a' }], elseifs: [] }],
    };
    const g = addBranchPrompt(f, exit(f, 'x'), { type: 'prompt', sources: [{ type: 'tts', text: 'sorry' }] });
    expect(iff(g).then.map((i) => i.type)).toEqual(['prompt', 'goto']);
    expect(exit(g, 'x').steps).toHaveLength(1);
  });

  it('adds menu keys with the next free digit, renames and removes them', () => {
    let m = templateForm('menu', 'm');
    expect(freeKey(m)).toBe('2');
    m = addChoice(m, freeKey(m));
    expect(exitsOf(m).map((e) => e.label)).toEqual(['1', '2', 'other']);
    m = setChoiceKey(m, exit(m, '2'), '9');
    m = removeExit(m, exit(m, '1'));
    expect(exitsOf(m).map((e) => [e.label, e.open])).toEqual([
      ['9', true],
      ['other', false],
    ]);
  });
});
