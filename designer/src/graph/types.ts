// The designer's graph: one node per form (the form itself is the node's data), exits and edges derived from it.
import type { Comment, Form, Item } from '../../../schema/ast.ts';

/** How a form is drawn and edited; derived from its content, never stored in the XML. */
export type NodeKind = 'start' | 'play' | 'collect' | 'menu' | 'transfer' | 'voicemail' | 'hangup' | 'form';

export const NODE_KINDS: readonly NodeKind[] = [
  'start',
  'play',
  'collect',
  'menu',
  'transfer',
  'voicemail',
  'hangup',
  'form',
];

/** A step into a form's items: indexes and the container keys of `If` (`then`, `elseifs`, `items`, `else`). */
export type ItemPath = (string | number)[];

/** A way out of a form: a `goto`, a `choice`, or a branch that has no `goto` yet (`open`). */
export interface Exit {
  /** Stable within the form's current shape: the path joined with dots; also the source handle id. */
  handle: string;
  /** Path of the `goto`/`choice` item, or of the container a new `goto` would be appended to when open. */
  path: ItemPath;
  /** What the exit is taken on: the key of a choice, the condition of a branch, `else`, or `next`. */
  label: string;
  /** `choice` for a menu key; `cond`/`else` for an if branch; `next` for a goto outside any if. */
  on: 'choice' | 'cond' | 'else' | 'next';
  /** The `next` value (`#id`, `hungup`), or undefined when the exit leads nowhere yet. */
  next?: string;
  /** The other steps of the branch the exit ends (e.g. "play login_error.wav" before "go back"). */
  steps: Item[];
  /** True when there is no `goto` yet: connecting appends one to the container at `path`. */
  open: boolean;
}

/** A node of the graph. `key` is stable across renames; `form.id` is what the XML calls it. */
export interface FlowNode {
  key: string;
  form: Form;
}

/** A labelled connection between two forms, derived from an exit whose target form exists. */
export interface FlowEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string;
  label: string;
  on: Exit['on'];
  steps: Item[];
}

export interface Position {
  x: number;
  y: number;
}

/** The graph of a document: nodes in document order plus what the document has outside its forms. */
export interface FlowGraph {
  nodes: FlowNode[];
  schemaLocation?: string;
  trailingComments?: string[];
}

export type { Comment, Form, Item };
