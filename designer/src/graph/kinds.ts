// Which kind of node a form is drawn as, from its content (the kind is a view: the XML has only form/menu).
import type { Field, Form, Item, Prompt } from '../../../schema/ast.ts';
import type { NodeKind } from './types.ts';

function steps(form: Form): Item[] {
  return form.items.filter((i) => i.type !== 'comment');
}

/** The form's first top-level field, the one the Collect/Play/Menu panels edit. */
export function primaryField(form: Form): Field | undefined {
  return form.items.find((i): i is Field => i.type === 'field');
}

export function kindOf(form: Form): NodeKind {
  if (form.kind === 'menu') return 'menu';
  const items = steps(form);
  const types = new Set(items.map((i) => i.type));
  if (form.id === 'main' && items.every((i) => i.type === 'goto')) return 'start';
  if (types.has('transfer')) return 'transfer';
  if (types.has('record')) return 'voicemail';
  const fields = items.filter((i): i is Field => i.type === 'field');
  const collecting = fields.filter((f) => f.length !== 0);
  if (collecting.length === 1) return 'collect';
  if (collecting.length > 1 || types.has('choice')) return 'form';
  if (types.has('hangup')) return types.has('if') ? 'form' : 'hangup';
  if ((fields.length > 0 || types.has('prompt')) && !types.has('if')) return 'play';
  return 'form';
}

/** Every prompt the form plays outside its branches (field prompts and top-level prompts), in order. */
export function promptsOf(form: Form): Prompt[] {
  const out: Prompt[] = [];
  for (const item of form.items) {
    if (item.type === 'prompt') out.push(item);
    else if (item.type === 'field') out.push(...item.prompts.filter((p): p is Prompt => p.type === 'prompt'));
  }
  return out;
}

/** A short text of what the prompts play: file names and quoted TTS text. */
export function summarizePrompts(prompts: Prompt[], max = 80): string {
  const parts: string[] = [];
  for (const p of prompts) {
    for (const s of p.sources) {
      if (s.type === 'audio') parts.push(s.src.split('/').pop() ?? s.src);
      else if (s.type === 'tts') parts.push(`“${s.text}”`);
    }
  }
  const text = parts.join(', ');
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What a list of branch steps does, in a few words (for edge labels and the exit list). */
export function summarizeSteps(items: Item[]): string {
  const prompts = items.filter((i): i is Prompt => i.type === 'prompt');
  const parts: string[] = [];
  if (prompts.length) parts.push(summarizePrompts(prompts, 40));
  for (const i of items) {
    if (i.type === 'assign') parts.push(`${i.name} = ${i.expr}`);
    else if (i.type === 'hangup') parts.push('hangup');
  }
  return parts.join('; ');
}
