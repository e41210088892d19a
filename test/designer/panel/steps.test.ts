// The step editor's model: new elements of every kind, moves, and problems pinned to the step they concern.
import { describe, expect, it } from 'vitest';
import type { Form } from '../../../schema/ast.ts';
import { parse } from '../../../schema/parse.ts';
import { serialize } from '../../../schema/serialize.ts';
import { validate } from '../../../schema/validate.ts';
import { appendAt } from '../../../designer/src/graph/paths.ts';
import { moveAt, newStep, setStepAttr, stepProblems, stepTypes } from '../../../designer/src/panel/steps.ts';

const form = (items: Form['items'], kind: Form['kind'] = 'form'): Form => ({
  type: 'form',
  kind,
  id: 'main',
  items,
});

describe('step editor model', () => {
  it('makes a new step of every kind that the validator accepts where it belongs', () => {
    for (const type of stepTypes('form')) {
      const f = appendAt(form([]), [], newStep(type));
      const errors = validate({ type: 'document', forms: [f] }).filter((p) => p.severity === 'error');
      expect(errors, type).toEqual([]);
    }
    // A new menu key has no target yet: the validator says so, and nothing else.
    const menu = appendAt(form([], 'menu'), [], newStep('choice'));
    expect(validate({ type: 'document', forms: [menu] }).map((p) => p.code)).toEqual(['E_GOTO_TARGET']);
  });

  it('round-trips a form holding every element through the XML', () => {
    let f = form([]);
    for (const type of stepTypes('form')) f = appendAt(f, [], newStep(type));
    f = appendAt(f, [1, 'prompts'], newStep('prompt'));
    f = setStepAttr(f, [4], 'timeout', 20);
    const doc = { type: 'document' as const, forms: [f] };
    expect(parse(serialize(doc))).toStrictEqual(doc);
  });

  it('moves a step within its list and stops at the ends', () => {
    const f = form([newStep('hangup'), newStep('assign'), newStep('comment')]);
    expect(moveAt(f, [0], 1).items.map((i) => i.type)).toEqual(['assign', 'hangup', 'comment']);
    expect(moveAt(f, [2], 1)).toBe(f);
    expect(moveAt(f, [0], -1)).toBe(f);
  });

  it('pins each problem to the step it is about, however deep', () => {
    const f = form([
      {
        type: 'field',
        name: 'pin',
        length: 4,
        prompts: [{ type: 'prompt', sources: [{ type: 'tts', text: 'hi ${' }] }],
      },
      { type: 'transfer', dest: 'not a number' },
      {
        type: 'if',
        cond: "pin == '1'",
        then: [{ type: 'assign', name: 'x', expr: '1 +' }],
        elseifs: [{ cond: 'pin ==', items: [{ type: 'goto', next: '#nowhere' }] }],
        else: [{ type: 'goto', next: '#other' }],
      },
    ]);
    const problems = stepProblems(f, ['main', 'other']);
    const codes = (path: string) => (problems.get(path) ?? []).map((p) => p.code);
    expect(codes('0.prompts.0')).toEqual(['E_TTS_VAR']);
    expect(codes('1')).toEqual(['E_TRANSFER_DEST']);
    expect(codes('2.then.0')).toEqual(['E_EXPR_SYNTAX']);
    expect(codes('2.elseifs.0')).toEqual(['E_COND_SYNTAX']);
    expect(codes('2.elseifs.0.items.0')).toEqual(['E_GOTO_TARGET']);
    // `#other` exists in the flow (a stand-in form here): no problem on the else branch.
    expect(problems.has('2.else.0')).toBe(false);
    // The form itself is left as it was (the copy carried the made-up lines).
    expect(validate({ type: 'document', forms: [f] }).every((p) => p.line === undefined)).toBe(true);
  });

  it('reports problems of the form itself under the empty path', () => {
    const problems = stepProblems(form([], 'menu'), ['main']);
    expect((problems.get('') ?? []).map((p) => p.code)).toEqual(['W_MENU_NO_CHOICE']);
  });
});
