// The dialect's element table: each element's attributes in their canonical (serialization) order and types.

export type AttrType = 'string' | 'integer' | 'boolean';

export interface AttrSpec {
  name: string;
  type: AttrType;
  required?: boolean;
}

const s = (name: string, required = false): AttrSpec => ({ name, type: 'string', required });
const i = (name: string): AttrSpec => ({ name, type: 'integer' });
const b = (name: string): AttrSpec => ({ name, type: 'boolean' });

/** Attributes of every element (local names in the dialect namespace), in serialization order. */
export const ELEMENT_ATTRS: Record<string, AttrSpec[]> = {
  vxml: [],
  form: [s('id', true)],
  menu: [s('id', true)],
  goto: [s('next', true)],
  field: [s('name'), s('value'), i('inputexpires'), i('length'), s('check')],
  prompt: [i('repeat'), b('bargein')],
  audio: [s('src', true)],
  tts: [s('voice')],
  if: [s('cond', true)],
  elseif: [s('cond', true)],
  else: [],
  choice: [s('dtmf', true), s('next', true)],
  transfer: [s('dest', true), i('timeout')],
  record: [s('name', true), i('maxtime'), b('public'), b('beep')],
  hangup: [],
  assign: [s('name', true), s('expr', true)],
};

/** Elements that are steps of a form, a menu or an if branch. */
export const ITEM_ELEMENTS = new Set([
  'goto',
  'field',
  'prompt',
  'if',
  'choice',
  'transfer',
  'record',
  'hangup',
  'assign',
]);

export function isKnownElement(local: string): boolean {
  return Object.hasOwn(ELEMENT_ATTRS, local);
}
