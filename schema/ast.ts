// The typed document of the tns:vxml ("switchboard") dialect: what the parser produces, the serializer
// writes, the validator checks, the interpreter runs and the designer draws.
//
// Attribute values keep the types they have at run time (numbers, booleans); an attribute absent from the
// XML is absent here, so parse(serialize(doc)) deep-equals doc. Source positions are not part of the tree
// (they would break that equality): the parser records them in a side table read with `locationOf`.

export const TNS_NAMESPACE = 'http://www.example.org/voicemail';
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

/** The reserved `next` value that hangs up the call (`<tns:goto next="hungup"/>`, `<tns:choice next="hungup"/>`). */
export const HANGUP_TARGET = 'hungup';

export interface Document {
  type: 'document';
  /** `xsi:schemaLocation` of the root, kept so that a formatted file keeps it. */
  schemaLocation?: string;
  forms: Form[];
  /** Comments after the last form (comments before a form belong to that form). */
  trailingComments?: string[];
}

export interface Form {
  type: 'form';
  /** `form` for `<tns:form>`, `menu` for `<tns:menu>`. */
  kind: 'form' | 'menu';
  id: string;
  /** Comments immediately before the form's start tag. */
  comments?: string[];
  items: Item[];
}

/** A step of a form (or of a branch of an `if`). */
export type Item = Goto | Field | Prompt | If | Choice | Transfer | Record | Hangup | Assign | Comment;
export type ItemType = Item['type'];

export interface Comment {
  type: 'comment';
  text: string;
}

/** `<tns:goto next="#id"/>` or `next="hungup"`. */
export interface Goto {
  type: 'goto';
  next: string;
}

/** `<tns:field>`: play its prompts and collect DTMF digits. */
export interface Field {
  type: 'field';
  /** Variable receiving the digits (`input` always receives them too). */
  name?: string;
  /** Preset value of `name` (used by play-only fields, `length="0"`). */
  value?: string;
  /** Milliseconds allowed after the prompt ends and between digits; default 5000. */
  inputexpires?: number;
  /** Most digits to collect; 0 = play only. */
  length?: number;
  /** http(s) URL called with the collected input; its answer becomes `input_checked`. */
  check?: string;
  prompts: (Prompt | Comment)[];
}

/** `<tns:prompt>`: audio and TTS played in order. */
export interface Prompt {
  type: 'prompt';
  /** Plays up to max(repeat, 1) times (replayed while no input arrives, inside a field). */
  repeat?: number;
  /** A key during the prompt stops it and counts as the first digit. */
  bargein?: boolean;
  sources: PromptSource[];
}

export type PromptSource = Audio | Tts | Comment;

/** `<tns:audio src="[FILE_PATH]/x/y.wav"/>` */
export interface Audio {
  type: 'audio';
  src: string;
}

/** `<tns:tts>text with ${var}</tns:tts>` (extension). */
export interface Tts {
  type: 'tts';
  text: string;
  voice?: string;
}

/** `<tns:if cond>` then-items, nested `<tns:elseif cond>` and `<tns:else>` containers. */
export interface If {
  type: 'if';
  cond: string;
  then: Item[];
  elseifs: ElseIf[];
  else?: Item[];
}

export interface ElseIf {
  cond: string;
  items: Item[];
}

/** `<tns:choice dtmf="1" next="#id"/>` inside a menu; `dtmf="other"` matches any other key and no input. */
export interface Choice {
  type: 'choice';
  dtmf: string;
  next: string;
}

/** `<tns:transfer dest="801"/>` (extension): an extension, a group or an external number. */
export interface Transfer {
  type: 'transfer';
  dest: string;
  /** Seconds to ring the destination before giving up; default 30. */
  timeout?: number;
}

/** `<tns:record name="msg" maxtime="60" public="true"/>` (extension): voicemail / recording. */
export interface Record {
  type: 'record';
  name: string;
  /** Longest recording in seconds; default 60. */
  maxtime?: number;
  /** A public voicemail (readable by every extension) rather than a private one. */
  public?: boolean;
  /** Play a beep before recording; default true. */
  beep?: boolean;
}

/** `<tns:hangup/>` (extension). */
export interface Hangup {
  type: 'hangup';
}

/** `<tns:assign name="x" expr="'a'"/>` (extension): sets a variable from a `cond`-language expression. */
export interface Assign {
  type: 'assign';
  name: string;
  expr: string;
}

/** Where a node started in the source text; 1-based. */
export interface SourceLocation {
  line: number;
  column: number;
}

const locations = new WeakMap<object, SourceLocation>();

/** Records where a parsed node came from (called by the parser). */
export function setLocation(node: object, loc: SourceLocation): void {
  locations.set(node, loc);
}

/** Where a parsed node came from, if it came from text. */
export function locationOf(node: object): SourceLocation | undefined {
  return locations.get(node);
}

/** A problem found in a document: a parse error, a structural error or a semantic finding. */
export interface Problem {
  /** Stable code, e.g. `E_GOTO_TARGET`, `W_UNREACHABLE`. `E_` = error, `W_` = warning. */
  code: string;
  severity: 'error' | 'warning';
  message: string;
  /** Id of the form the problem is in, when it is in one. */
  form?: string;
  line?: number;
  column?: number;
  /** Only on the `E_MORE_PROBLEMS`/`W_MORE_PROBLEMS` entry that ends a capped list: how many were left out. */
  omitted?: number;
}

/** The form id a `next` value points at (`#order` -> `order`), or undefined for `hungup` or a bad value. */
export function targetId(next: string): string | undefined {
  return next.startsWith('#') && next.length > 1 ? next.slice(1) : undefined;
}
