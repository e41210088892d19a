// Every element of the dialect as the step editor sees it: its attributes (declared once), a new one of each
// kind, moving and removing steps, and which step each of the validator's problems belongs to.
import type { Form, Item, Problem } from '../../../schema/ast.ts';
import { setLocation } from '../../../schema/ast.ts';
import { LIMITS } from '../../../schema/codes.ts';
import { validate } from '../../../schema/validate.ts';
import { getAt, updateAt } from '../graph/paths.ts';
import type { ItemPath } from '../graph/types.ts';
import type { MessageKey } from '../i18n/index.ts';

export type StepType = Item['type'];

export interface StepAttr {
  attr: string;
  type: 'text' | 'int' | 'bool' | 'target';
  label: MessageKey;
  /** Required attributes are never removed: an emptied input keeps '' (the validator reports it). */
  required?: boolean;
  /** Problem codes shown under this input (the others under the step). */
  codes: string[];
  min?: number;
  max?: number;
  /** What an absent yes/no attribute means (`beep` is on unless said otherwise). */
  default?: boolean;
}

const next: StepAttr = {
  attr: 'next',
  type: 'target',
  label: 'panel.target',
  required: true,
  codes: ['E_GOTO_TARGET'],
};

export const STEP_ATTRS: Record<StepType, StepAttr[]> = {
  field: [
    { attr: 'name', type: 'text', label: 'field.name', codes: ['E_VAR_NAME'] },
    { attr: 'value', type: 'text', label: 'field.value', codes: [] },
    {
      attr: 'inputexpires',
      type: 'int',
      label: 'field.inputexpires',
      codes: ['E_FIELD_TIMEOUT'],
      ...LIMITS.inputexpires,
    },
    { attr: 'length', type: 'int', label: 'field.length', codes: ['E_FIELD_LENGTH'], ...LIMITS.fieldLength },
    { attr: 'check', type: 'text', label: 'field.check', codes: ['E_CHECK_URL'] },
  ],
  prompt: [
    { attr: 'repeat', type: 'int', label: 'field.repeat', codes: ['E_PROMPT_REPEAT'], ...LIMITS.repeat },
    { attr: 'bargein', type: 'bool', label: 'field.bargein', codes: [] },
  ],
  goto: [next],
  choice: [
    {
      attr: 'dtmf',
      type: 'text',
      label: 'panel.key',
      required: true,
      codes: ['E_CHOICE_DTMF', 'E_DUP_CHOICE'],
    },
    next,
  ],
  if: [{ attr: 'cond', type: 'text', label: 'panel.condition', required: true, codes: ['E_COND_SYNTAX'] }],
  transfer: [
    { attr: 'dest', type: 'text', label: 'field.dest', required: true, codes: ['E_TRANSFER_DEST'] },
    {
      attr: 'timeout',
      type: 'int',
      label: 'field.timeout',
      codes: ['E_TRANSFER_TIMEOUT'],
      ...LIMITS.transferTimeout,
    },
  ],
  record: [
    { attr: 'name', type: 'text', label: 'field.recordName', required: true, codes: ['E_VAR_NAME'] },
    {
      attr: 'maxtime',
      type: 'int',
      label: 'field.maxtime',
      codes: ['E_RECORD_MAXTIME'],
      ...LIMITS.recordMaxtime,
    },
    { attr: 'public', type: 'bool', label: 'field.public', codes: [] },
    { attr: 'beep', type: 'bool', label: 'field.beep', codes: [], default: true },
  ],
  hangup: [],
  assign: [
    { attr: 'name', type: 'text', label: 'field.name', required: true, codes: ['E_VAR_NAME'] },
    { attr: 'expr', type: 'text', label: 'field.expr', required: true, codes: ['E_EXPR_SYNTAX'] },
  ],
  comment: [{ attr: 'text', type: 'text', label: 'step.comment', required: true, codes: [] }],
};

/** A new step of each kind, valid as it stands where it can be (a goto still needs its target). */
export function newStep(type: StepType): Item {
  switch (type) {
    case 'field':
      return { type: 'field', name: 'input', length: 1, prompts: [] };
    case 'prompt':
      return { type: 'prompt', sources: [{ type: 'tts', text: '' }] };
    case 'goto':
      return { type: 'goto', next: 'hungup' };
    case 'choice':
      return { type: 'choice', dtmf: '1', next: '' };
    case 'if':
      return { type: 'if', cond: "input == '1'", then: [], elseifs: [] };
    case 'transfer':
      return { type: 'transfer', dest: '801' };
    case 'record':
      return { type: 'record', name: 'message' };
    case 'hangup':
      return { type: 'hangup' };
    case 'assign':
      return { type: 'assign', name: 'x', expr: "'1'" };
    case 'comment':
      return { type: 'comment', text: 'note' };
  }
}

/** Which steps a container takes: a menu's own list also takes choices; a field takes prompts only. */
export function stepTypes(where: 'form' | 'menu' | 'branch'): StepType[] {
  const common: StepType[] = [
    'prompt',
    'field',
    'if',
    'goto',
    'transfer',
    'record',
    'assign',
    'hangup',
    'comment',
  ];
  return where === 'menu' ? ['choice', ...common] : common;
}

/** The form with the item at `path` moved `delta` places within its list (no-op at the ends). */
export function moveAt(form: Form, path: ItemPath, delta: -1 | 1): Form {
  const index = path[path.length - 1] as number;
  const list = getAt(form, path.slice(0, -1)) as Item[] | undefined;
  const to = index + delta;
  if (!list || to < 0 || to >= list.length) return form;
  return updateAt(form, path.slice(0, -1), (old) => {
    const copy = (old as Item[]).slice();
    [copy[index], copy[to]] = [copy[to], copy[index]];
    return copy;
  });
}

/** Sets (or, for undefined, removes) one attribute of the item at `path`. */
export function setStepAttr(form: Form, path: ItemPath, attr: string, value: unknown): Form {
  return updateAt(form, path, (item) => {
    const copy = { ...(item as Record<string, unknown>) };
    if (value === undefined) delete copy[attr];
    else copy[attr] = value;
    return copy;
  });
}

type Tagged = { node: object; path: string };

/** Every object of the form a problem can be reported on (items, elseif branches, prompts, tts), with its path. */
function taggable(items: Item[], base: ItemPath, out: Tagged[]): void {
  items.forEach((item, i) => {
    const path = [...base, i];
    out.push({ node: item, path: path.join('.') });
    if (item.type === 'field') {
      item.prompts.forEach((p, j) => {
        const at = [...path, 'prompts', j];
        out.push({ node: p, path: at.join('.') });
        if (p.type === 'prompt') p.sources.forEach((s) => out.push({ node: s, path: at.join('.') }));
      });
    } else if (item.type === 'prompt') {
      item.sources.forEach((s) => out.push({ node: s, path: path.join('.') }));
    } else if (item.type === 'if') {
      taggable(item.then, [...path, 'then'], out);
      item.elseifs.forEach((e, j) => {
        out.push({ node: e, path: [...path, 'elseifs', j].join('.') });
        taggable(e.items, [...path, 'elseifs', j, 'items'], out);
      });
      if (item.else) taggable(item.else, [...path, 'else'], out);
    }
  });
}

/**
 * The validator's problems of this form, by the path of the step they concern ('' for the form itself). The
 * form is validated on its own, as a copy whose nodes carry made-up source lines (one per node): the line of
 * each problem names its step. Other forms are stand-ins, so `#id` targets resolve as in the whole flow.
 */
export function stepProblems(form: Form, otherIds: string[]): Map<string, Problem[]> {
  const copy = structuredClone(form);
  const tagged: Tagged[] = [];
  taggable(copy.items, [], tagged);
  tagged.forEach((t, i) => setLocation(t.node, { line: i + 2, column: 1 }));
  setLocation(copy, { line: 1, column: 1 });
  const stand = otherIds
    .filter((id) => id !== form.id)
    .map((id) => ({ type: 'form' as const, kind: 'form' as const, id, items: [] }));
  const out = new Map<string, Problem[]>();
  for (const p of validate({ type: 'document', forms: [copy, ...stand] })) {
    // Reachability and `main` are the flow's business, not this form's steps.
    if (p.form !== form.id || p.code === 'W_UNREACHABLE' || p.code === 'E_NO_MAIN' || p.code === 'E_DUP_ID')
      continue;
    const path = p.line === undefined || p.line < 2 ? '' : (tagged[p.line - 2]?.path ?? '');
    out.set(path, [...(out.get(path) ?? []), p]);
  }
  return out;
}
