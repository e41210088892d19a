// Semantic checks of a Document: every problem at once, each with a code, a message, its form and position.
import {
  HANGUP_TARGET,
  locationOf,
  targetId,
  type Document,
  type Field,
  type Form,
  type Item,
  type Problem,
  type Prompt,
} from './ast.ts';
import { LIMITS, PROBLEM_CODES } from './codes.ts';
import { ExprError, malformedTemplateOffsets, parseExpr } from './expr.ts';

export { PROBLEM_CODES };

export interface ValidateOptions {
  /** Whether an audio `src` exists; when absent, audio files are not checked. */
  audioExists?: (src: string) => boolean;
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DTMF = /^([0-9*#]|other)$/;
const DEST = /^[A-Za-z0-9+*#._@-]+$/;

class Checker {
  readonly problems: Problem[] = [];
  form: Form | undefined;

  constructor(readonly opts: ValidateOptions) {}

  report(code: string, message: string, node: object | undefined): void {
    const severity = code.startsWith('W_') ? 'warning' : 'error';
    const problem: Problem = { code, severity, message };
    if (this.form) problem.form = this.form.id;
    const loc = node ? locationOf(node) : undefined;
    if (loc) Object.assign(problem, { line: loc.line, column: loc.column });
    this.problems.push(problem);
  }

  range(
    code: string,
    what: string,
    value: number | undefined,
    bounds: { min: number; max: number },
    node: object,
  ) {
    if (value !== undefined && (!Number.isInteger(value) || value < bounds.min || value > bounds.max)) {
      this.report(code, `${what} ${value} must be an integer in ${bounds.min}..${bounds.max}`, node);
    }
  }

  expression(code: string, what: string, src: string, node: object): void {
    try {
      parseExpr(src);
    } catch (err) {
      if (!(err instanceof ExprError)) throw err;
      this.report(code, `${what} '${src}': ${err.message}`, node);
    }
  }

  varName(name: string | undefined, what: string, node: object): void {
    if (name !== undefined && !VAR_NAME.test(name))
      this.report('E_VAR_NAME', `${what} '${name}' is not a valid name`, node);
  }
}

function checkNext(c: Checker, next: string, ids: Set<string>, node: object): void {
  if (next === HANGUP_TARGET) return;
  const id = targetId(next);
  if (id === undefined) c.report('E_GOTO_TARGET', `next '${next}' must be '#id' or '${HANGUP_TARGET}'`, node);
  else if (!ids.has(id))
    c.report('E_GOTO_TARGET', `next '${next}': no form or menu has the id '${id}'`, node);
}

function checkPrompt(c: Checker, prompt: Prompt): void {
  c.range('E_PROMPT_REPEAT', 'prompt repeat', prompt.repeat, LIMITS.repeat, prompt);
  if (!prompt.sources.some((s) => s.type !== 'comment'))
    c.report('E_EMPTY_PROMPT', 'prompt has no audio or tts', prompt);
  for (const source of prompt.sources) {
    if (source.type === 'audio' && c.opts.audioExists && !c.opts.audioExists(source.src)) {
      c.report('E_AUDIO_MISSING', `audio file '${source.src}' not found`, source);
    } else if (source.type === 'tts') {
      for (const offset of malformedTemplateOffsets(source.text)) {
        c.report('E_TTS_VAR', `malformed variable at offset ${offset} of tts text (write \${name})`, source);
      }
    }
  }
}

function checkField(c: Checker, field: Field): void {
  c.varName(field.name, 'field name', field);
  c.range('E_FIELD_LENGTH', 'field length', field.length, LIMITS.fieldLength, field);
  c.range('E_FIELD_TIMEOUT', 'field inputexpires', field.inputexpires, LIMITS.inputexpires, field);
  if (field.check !== undefined && !isHttpUrl(field.check)) {
    c.report('E_CHECK_URL', `check '${field.check}' is not an absolute http(s) URL`, field);
  }
  for (const p of field.prompts) if (p.type === 'prompt') checkPrompt(c, p);
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

// A transfer is not terminal: when it fails (busy, no answer, unknown destination) the flow goes on with the
// next item, which is where a fallback (voicemail, apology) belongs.
const TERMINAL = new Set(['goto', 'hangup']);

/** Checks a list of items; `inMenu` is true only for the direct items of a menu (where choices belong). */
function checkItems(c: Checker, items: Item[], ids: Set<string>, inMenu: boolean): void {
  const terminal = items.findIndex((i) => TERMINAL.has(i.type));
  const dead =
    terminal < 0
      ? undefined
      : items.slice(terminal + 1).find((i) => i.type !== 'comment' && i.type !== 'choice');
  if (dead) c.report('W_DEAD_CODE', `<${dead.type}> after <${items[terminal].type}> never runs`, dead);
  for (const item of items) checkItem(c, item, ids, inMenu);
}

function checkItem(c: Checker, item: Item, ids: Set<string>, inMenu: boolean): void {
  switch (item.type) {
    case 'goto':
      return checkNext(c, item.next, ids, item);
    case 'choice':
      if (!inMenu) c.report('E_CHOICE_OUTSIDE_MENU', 'choice must be a direct child of a menu', item);
      if (!DTMF.test(item.dtmf))
        c.report('E_CHOICE_DTMF', `choice dtmf '${item.dtmf}' is not 0-9, *, # or other`, item);
      return checkNext(c, item.next, ids, item);
    case 'field':
      return checkField(c, item);
    case 'prompt':
      return checkPrompt(c, item);
    case 'if':
      c.expression('E_COND_SYNTAX', 'cond', item.cond, item);
      checkItems(c, item.then, ids, false);
      for (const branch of item.elseifs) {
        c.expression('E_COND_SYNTAX', 'cond', branch.cond, branch);
        checkItems(c, branch.items, ids, false);
      }
      if (item.else) checkItems(c, item.else, ids, false);
      return;
    case 'transfer':
      if (!DEST.test(item.dest))
        c.report('E_TRANSFER_DEST', `transfer dest '${item.dest}' is not a number`, item);
      return c.range('E_TRANSFER_TIMEOUT', 'transfer timeout', item.timeout, LIMITS.transferTimeout, item);
    case 'record':
      c.varName(item.name, 'record name', item);
      return c.range('E_RECORD_MAXTIME', 'record maxtime', item.maxtime, LIMITS.recordMaxtime, item);
    case 'assign':
      c.varName(item.name, 'assign name', item);
      return c.expression('E_EXPR_SYNTAX', 'expr', item.expr, item);
  }
}

function checkMenu(c: Checker, menu: Form): void {
  const seen = new Set<string>();
  let choices = 0;
  for (const item of menu.items) {
    if (item.type !== 'choice') continue;
    choices++;
    if (seen.has(item.dtmf)) c.report('E_DUP_CHOICE', `two choices for dtmf '${item.dtmf}'`, item);
    seen.add(item.dtmf);
  }
  if (choices === 0) c.report('W_MENU_NO_CHOICE', `menu '${menu.id}' has no choice`, menu);
}

/** Ids of the forms reachable from `main` through goto and choice targets. */
export function reachableIds(doc: Document): Set<string> {
  const byId = new Map(doc.forms.map((f) => [f.id, f]));
  const reached = new Set<string>();
  const queue = byId.has('main') ? ['main'] : [];
  while (queue.length > 0) {
    const id = queue.shift() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const next of targetsOf((byId.get(id) as Form).items)) if (byId.has(next)) queue.push(next);
  }
  return reached;
}

function targetsOf(items: Item[]): string[] {
  const out: string[] = [];
  for (const item of items) {
    if (item.type === 'goto' || item.type === 'choice') {
      const id = targetId(item.next);
      if (id !== undefined) out.push(id);
    } else if (item.type === 'if') {
      out.push(
        ...targetsOf(item.then),
        ...item.elseifs.flatMap((b) => targetsOf(b.items)),
        ...targetsOf(item.else ?? []),
      );
    }
  }
  return out;
}

function checkForms(c: Checker, doc: Document): Set<string> {
  const ids = new Set<string>();
  for (const form of doc.forms) {
    c.form = form;
    if (form.id === '' || /[\s#]/.test(form.id))
      c.report('E_FORM_ID', `id '${form.id}' is not a valid id`, form);
    if (ids.has(form.id)) c.report('E_DUP_ID', `id '${form.id}' is used by more than one form or menu`, form);
    ids.add(form.id);
  }
  c.form = undefined;
  if (!ids.has('main')) c.report('E_NO_MAIN', "no form or menu has the id 'main' (the entry point)", doc);
  return ids;
}

/** Every semantic problem of a document (structural problems come from the parser). */
export function validate(doc: Document, opts: ValidateOptions = {}): Problem[] {
  const c = new Checker(opts);
  const ids = checkForms(c, doc);
  const reached = reachableIds(doc);
  for (const form of doc.forms) {
    c.form = form;
    checkItems(c, form.items, ids, form.kind === 'menu');
    if (form.kind === 'menu') checkMenu(c, form);
    if (ids.has('main') && !reached.has(form.id))
      c.report('W_UNREACHABLE', `'${form.id}' cannot be reached from main`, form);
  }
  return c.problems;
}
