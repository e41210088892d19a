// The form a palette entry inserts, per node kind: the smallest valid-looking start an analyst then edits.
import type { Form, Item } from '../../../schema/ast.ts';
import type { NodeKind } from './types.ts';

const say = (text: string, bargein: boolean): Item => ({
  type: 'prompt',
  bargein,
  sources: [{ type: 'tts', text }],
});

function items(kind: NodeKind): Item[] {
  switch (kind) {
    case 'start':
      return [];
    case 'play':
      return [say('Welcome', false)];
    case 'collect':
      return [
        {
          type: 'field',
          name: 'input',
          length: 1,
          inputexpires: 5000,
          prompts: [
            { type: 'prompt', repeat: 3, bargein: true, sources: [{ type: 'tts', text: 'Press 1' }] },
          ],
        },
        { type: 'if', cond: "input == '1'", then: [], elseifs: [] },
      ];
    case 'menu':
      return [
        {
          type: 'field',
          name: 'default',
          length: 0,
          prompts: [
            { type: 'prompt', repeat: 1, bargein: true, sources: [{ type: 'tts', text: 'Press 1' }] },
          ],
        },
        { type: 'choice', dtmf: '1', next: '' },
        { type: 'choice', dtmf: 'other', next: 'hungup' },
      ];
    case 'transfer':
      return [{ type: 'transfer', dest: '801' }];
    case 'voicemail':
      return [
        say('Please leave a message after the tone', false),
        { type: 'record', name: 'voicemail', maxtime: 60 },
      ];
    case 'hangup':
      return [{ type: 'hangup' }];
    case 'form':
      return [];
  }
}

/** A new form of this kind with the given id (a menu for `menu`, a form otherwise). */
export function templateForm(kind: NodeKind, id: string): Form {
  return { type: 'form', kind: kind === 'menu' ? 'menu' : 'form', id, items: items(kind) };
}

/** The id a new node of this kind gets first (`main` for Start). */
export function baseId(kind: NodeKind): string {
  return kind === 'start' ? 'main' : kind;
}
