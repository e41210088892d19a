// Test helper: walks a flow with scripted keys, following decisions.md's dialect semantics closely enough to
// prove that each example's documented call paths and its backend's answers fit together. It is not the
// interpreter (no timing, no media): one scripted entry stands for what one field or menu collects.
import type { Document, Form, Item, PromptSource } from '../../schema/ast.ts';
import { targetId } from '../../schema/ast.ts';
import { evaluate, interpolate, parseExpr, truthy } from '../../schema/expr.ts';

/** Answers a check: (check URL, input, form id, field name) -> the answer text. */
export type CheckFn = (url: string, input: string, form: string, field: string) => Promise<string>;

export interface WalkResult {
  /** Forms and menus entered, in order. */
  forms: string[];
  /** Audio srcs and interpolated TTS texts, in the order played. */
  played: string[];
  /** Names of the recordings taken. */
  recorded: string[];
  /** How the call ended: `hangup` or `transfer:<dest>`. */
  end: string;
  vars: Map<string, string>;
}

type Outcome = { kind: 'goto'; next: string } | { kind: 'end'; end: string } | { kind: 'continue' };

const MAX_FORMS = 100;

class Walk {
  readonly result: WalkResult = { forms: [], played: [], recorded: [], end: '', vars: new Map() };

  constructor(
    private readonly document: Document,
    private readonly keys: string[],
    private readonly check: CheckFn,
    vars: Record<string, string>,
  ) {
    for (const [name, value] of Object.entries(vars)) this.result.vars.set(name, value);
  }

  private nextKeys(form: Form): string {
    const keys = this.keys.shift();
    if (keys === undefined) throw new Error(`form ${form.id} waits for keys but the script has none left`);
    return keys;
  }

  private test(cond: string): boolean {
    return truthy(evaluate(parseExpr(cond), (name) => this.result.vars.get(name)));
  }

  private play(sources: readonly PromptSource[]): void {
    for (const source of sources) {
      if (source.type === 'audio') this.result.played.push(source.src);
      if (source.type === 'tts')
        this.result.played.push(interpolate(source.text, (n) => this.result.vars.get(n)));
    }
  }

  private async collect(form: Form, item: Extract<Item, { type: 'field' }>): Promise<void> {
    for (const prompt of item.prompts) if (prompt.type === 'prompt') this.play(prompt.sources);
    if ((item.length ?? 1) === 0) {
      if (item.name && item.value !== undefined) this.result.vars.set(item.name, item.value);
      return;
    }
    const input = this.nextKeys(form);
    const vars = this.result.vars;
    vars.set('input', input);
    if (item.name) vars.set(item.name, input);
    const answer =
      input !== '' && item.check ? await this.check(item.check, input, form.id, item.name ?? '') : '';
    vars.set('input_checked', answer);
    if (item.name) vars.set(`${item.name}_checked`, answer);
  }

  private async run(form: Form, items: readonly Item[]): Promise<Outcome> {
    for (const item of items) {
      const outcome = await this.step(form, item);
      if (outcome.kind !== 'continue') return outcome;
    }
    return { kind: 'continue' };
  }

  private async step(form: Form, item: Item): Promise<Outcome> {
    switch (item.type) {
      case 'field':
        await this.collect(form, item);
        return { kind: 'continue' };
      case 'prompt':
        this.play(item.sources);
        return { kind: 'continue' };
      case 'if': {
        if (this.test(item.cond)) return this.run(form, item.then);
        const branch = item.elseifs.find((elseif) => this.test(elseif.cond));
        return this.run(form, branch ? branch.items : (item.else ?? []));
      }
      case 'goto':
        return { kind: 'goto', next: item.next };
      case 'choice':
        return { kind: 'continue' };
      case 'assign':
        this.result.vars.set(
          item.name,
          String(evaluate(parseExpr(item.expr), (n) => this.result.vars.get(n))),
        );
        return { kind: 'continue' };
      case 'record':
        this.result.recorded.push(item.name);
        return { kind: 'continue' };
      case 'transfer':
        return { kind: 'end', end: `transfer:${item.dest}` };
      case 'hangup':
        return { kind: 'end', end: 'hangup' };
      case 'comment':
        return { kind: 'continue' };
    }
  }

  /** A menu: its items, then one key picks a choice (`other` for any other key or none). */
  private async menu(form: Form): Promise<Outcome> {
    const outcome = await this.run(form, form.items);
    if (outcome.kind !== 'continue') return outcome;
    const key = this.nextKeys(form).slice(0, 1);
    const choices = form.items.filter((item) => item.type === 'choice');
    const choice = choices.find((c) => c.dtmf === key) ?? choices.find((c) => c.dtmf === 'other');
    return choice ? { kind: 'goto', next: choice.next } : { kind: 'end', end: 'hangup' };
  }

  async from(id: string): Promise<WalkResult> {
    for (let target: string | undefined = id; this.result.forms.length < MAX_FORMS;) {
      const form = this.document.forms.find((f) => f.id === target);
      if (!form) throw new Error(`no form ${target}`);
      this.result.forms.push(form.id);
      const outcome = form.kind === 'menu' ? await this.menu(form) : await this.run(form, form.items);
      if (outcome.kind === 'goto' && outcome.next !== 'hungup') {
        target = targetId(outcome.next);
        continue;
      }
      this.result.end = outcome.kind === 'end' ? outcome.end : 'hangup';
      if (this.keys.length > 0) throw new Error(`call ended with keys left: ${JSON.stringify(this.keys)}`);
      return this.result;
    }
    throw new Error(`more than ${MAX_FORMS} forms entered: ${this.result.forms.join(' ')}`);
  }
}

/** Walks `document` from main, one scripted entry per field or menu that collects keys. */
export function walkCall(
  document: Document,
  keys: string[],
  check: CheckFn,
  vars: Record<string, string> = {},
): Promise<WalkResult> {
  return new Walk(document, [...keys], check, vars).from('main');
}
