// The property form of each node kind, declared once: the panel renders it and problems map onto its inputs.
import type { Form, Problem } from '../../../schema/ast.ts';
import { LIMITS } from '../../../schema/codes.ts';
import type { ItemPath, NodeKind } from '../graph/types.ts';
import type { MessageKey } from '../i18n/index.ts';

export interface AttrSpec {
  /** Unique per kind; the input's test id is `prop-<key>`. */
  key: string;
  /** Which item of the form carries the attribute. */
  target: 'field' | 'prompt' | 'transfer' | 'record';
  attr: string;
  type: 'text' | 'int' | 'bool';
  label: MessageKey;
  /** Problem codes shown under this input. */
  codes: string[];
  min?: number;
  max?: number;
  /** What an absent yes/no attribute means (`beep` is on unless said otherwise). */
  default?: boolean;
}

export interface KindSchema {
  attrs: AttrSpec[];
  /** Whether the panel edits the prompts the node plays. */
  prompts: boolean;
  /** How exits are added: conditions (+ else), menu keys, or not at all. */
  exits: 'conditions' | 'keys' | 'fixed';
}

const name: AttrSpec = {
  key: 'name',
  target: 'field',
  attr: 'name',
  type: 'text',
  label: 'field.name',
  codes: ['E_VAR_NAME'],
};
const length: AttrSpec = {
  key: 'length',
  target: 'field',
  attr: 'length',
  type: 'int',
  label: 'field.length',
  codes: ['E_FIELD_LENGTH'],
  ...LIMITS.fieldLength,
};
const inputexpires: AttrSpec = {
  key: 'inputexpires',
  target: 'field',
  attr: 'inputexpires',
  type: 'int',
  label: 'field.inputexpires',
  codes: ['E_FIELD_TIMEOUT'],
  ...LIMITS.inputexpires,
};
const check: AttrSpec = {
  key: 'check',
  target: 'field',
  attr: 'check',
  type: 'text',
  label: 'field.check',
  codes: ['E_CHECK_URL'],
};
const repeat: AttrSpec = {
  key: 'repeat',
  target: 'prompt',
  attr: 'repeat',
  type: 'int',
  label: 'field.repeat',
  codes: ['E_PROMPT_REPEAT'],
  ...LIMITS.repeat,
};
const bargein: AttrSpec = {
  key: 'bargein',
  target: 'prompt',
  attr: 'bargein',
  type: 'bool',
  label: 'field.bargein',
  codes: [],
};

export const KIND_SCHEMAS: Record<NodeKind, KindSchema> = {
  start: { attrs: [], prompts: false, exits: 'fixed' },
  play: { attrs: [repeat, bargein], prompts: true, exits: 'fixed' },
  collect: {
    attrs: [name, length, inputexpires, check, repeat, bargein],
    prompts: true,
    exits: 'conditions',
  },
  menu: { attrs: [repeat, bargein], prompts: true, exits: 'keys' },
  transfer: {
    attrs: [
      {
        key: 'dest',
        target: 'transfer',
        attr: 'dest',
        type: 'text',
        label: 'field.dest',
        codes: ['E_TRANSFER_DEST'],
      },
      {
        key: 'timeout',
        target: 'transfer',
        attr: 'timeout',
        type: 'int',
        label: 'field.timeout',
        codes: ['E_TRANSFER_TIMEOUT'],
        ...LIMITS.transferTimeout,
      },
    ],
    prompts: true,
    exits: 'fixed',
  },
  voicemail: {
    attrs: [
      {
        key: 'recordName',
        target: 'record',
        attr: 'name',
        type: 'text',
        label: 'field.recordName',
        codes: ['E_VAR_NAME'],
      },
      {
        key: 'maxtime',
        target: 'record',
        attr: 'maxtime',
        type: 'int',
        label: 'field.maxtime',
        codes: ['E_RECORD_MAXTIME'],
        ...LIMITS.recordMaxtime,
      },
      { key: 'public', target: 'record', attr: 'public', type: 'bool', label: 'field.public', codes: [] },
      {
        key: 'beep',
        target: 'record',
        attr: 'beep',
        type: 'bool',
        label: 'field.beep',
        codes: [],
        default: true,
      },
    ],
    prompts: true,
    exits: 'fixed',
  },
  hangup: { attrs: [], prompts: true, exits: 'fixed' },
  form: { attrs: [], prompts: true, exits: 'conditions' },
};

/** Path of the item an attribute lives on, or undefined when the form has no such item. */
export function targetPath(form: Form, target: AttrSpec['target']): ItemPath | undefined {
  const field = form.items.findIndex((i) => i.type === 'field');
  if (target === 'prompt') {
    const f = form.items[field];
    if (f && f.type === 'field') {
      const j = f.prompts.findIndex((p) => p.type === 'prompt');
      if (j >= 0) return [field, 'prompts', j];
    }
    const top = form.items.findIndex((i) => i.type === 'prompt');
    return top >= 0 ? [top] : undefined;
  }
  const at = target === 'field' ? field : form.items.findIndex((i) => i.type === target);
  return at >= 0 ? [at] : undefined;
}

/** The node's problems that belong to an input of its kind's form, by attribute key. */
export function problemsByAttr(kind: NodeKind, problems: Problem[]): Map<string, Problem[]> {
  const out = new Map<string, Problem[]>();
  for (const spec of KIND_SCHEMAS[kind].attrs) {
    const mine = problems.filter((p) => spec.codes.includes(p.code));
    if (mine.length) out.set(spec.key, mine);
  }
  return out;
}

/** Problem codes the attribute inputs show; the rest are listed in the panel's problem section. */
export function attrCodes(kind: NodeKind): Set<string> {
  return new Set(KIND_SCHEMAS[kind].attrs.flatMap((a) => a.codes));
}
