// Generated IVR flows of any size (the designer benchmark's and the big-flow browser test's): n forms, collect nodes
// and menus branching into a tree.
import type { Document, Form, Item } from '../../schema/ast.ts';

const say = (text: string): Item => ({ type: 'prompt', bargein: true, sources: [{ type: 'tts', text }] });

/** Form i: a collect node (or a menu, every fifth form) branching to forms 2i+1 and 2i+2 and back: ~log2(n) layers. */
function form(i: number, n: number): Form {
  const id = i === 0 ? 'main' : `f${i}`;
  const to = (j: number) => (j >= n ? 'hungup' : `#f${j}`);
  if (i % 5 === 4) {
    return {
      type: 'form',
      kind: 'menu',
      id,
      items: [
        { type: 'field', name: 'default', length: 0, prompts: [say(`menu ${i}`) as never] },
        { type: 'choice', dtmf: '1', next: to(2 * i + 1) },
        { type: 'choice', dtmf: '2', next: to(2 * i + 2) },
        { type: 'choice', dtmf: 'other', next: 'hungup' },
      ],
    };
  }
  return {
    type: 'form',
    kind: 'form',
    id,
    items: [
      { type: 'field', name: 'input', length: 1, inputexpires: 5000, prompts: [say(`form ${i}`) as never] },
      {
        type: 'if',
        cond: "input == '1'",
        then: [{ type: 'goto', next: to(2 * i + 1) }],
        elseifs: [{ cond: "input == '2'", items: [say('again'), { type: 'goto', next: to(2 * i + 2) }] }],
        else: [{ type: 'goto', next: `#${id}` }],
      },
    ],
  };
}

export function generateFlow(n: number): Document {
  return { type: 'document', forms: Array.from({ length: n }, (_, i) => form(i, n)) };
}
