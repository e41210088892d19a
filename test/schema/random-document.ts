// Seeded generator of random valid-shaped Documents for the round-trip and XSD property tests.
import type { Comment, Document, Form, Item, Prompt, PromptSource } from '../../schema/ast.ts';

/** mulberry32: a small deterministic PRNG, so a failing seed can be replayed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Characters that must be escaped or are multi-byte, to exercise the serializer; no control characters,
// tabs or newlines in attributes (XML normalizes them) and no `--` in comments (see schema/README.md).
const TEXT_CHARS = ['a', 'Z', '0', ' ', '<', '>', '&', '"', "'", ']]>', '${x}', '你好', 'é', '😀', '\n', '-'];
const ATTR_CHARS = ['a', 'Z', '0', '_', ' ', '<', '>', '&', '"', "'", '#', '你', '😀', '='];

class Random {
  constructor(private readonly next: () => number) {}

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  text(chars: string[], max: number): string {
    return Array.from({ length: this.int(0, max) }, () => this.pick(chars)).join('');
  }

  /** Optional attribute: present (with `make()`) about half the time. */
  maybe<T>(make: () => T): T | undefined {
    return this.chance(0.5) ? make() : undefined;
  }
}

function clean<T extends object>(node: T): T {
  for (const [k, v] of Object.entries(node)) if (v === undefined) delete (node as Record<string, unknown>)[k];
  return node;
}

function comment(r: Random): Comment {
  const text = r.text(['a', ' ', '<', '&', '你', '-x', '"'], 12).trim();
  return { type: 'comment', text: text.endsWith('-') ? `${text}x` : text };
}

function source(r: Random): PromptSource {
  const kind = r.int(0, 5);
  if (kind === 0) return comment(r);
  if (kind < 3) return { type: 'audio', src: `[FILE_PATH]/${r.text(ATTR_CHARS, 8)}.wav` };
  return clean({
    type: 'tts',
    text: r.text(TEXT_CHARS, 10),
    voice: r.maybe(() => r.pick(['en', 'zh', 'a"b'])),
  });
}

function prompt(r: Random): Prompt {
  return clean({
    type: 'prompt',
    repeat: r.maybe(() => r.int(0, 100)),
    bargein: r.maybe(() => r.chance(0.5)),
    sources: Array.from({ length: r.int(0, 3) }, () => source(r)),
  });
}

function next(r: Random, ids: string[]): string {
  return r.chance(0.2) ? 'hungup' : `#${r.pick(ids)}`;
}

function item(r: Random, ids: string[], depth: number, inMenu: boolean): Item {
  const kinds = ['comment', 'goto', 'field', 'prompt', 'transfer', 'record', 'hangup', 'assign'];
  if (depth < 3) kinds.push('if');
  if (inMenu) kinds.push('choice', 'choice');
  const cond = () => r.pick(["input == '1'", 'a < 3 && !b', "x != 'a\"b' || y >= 2", 'true']);
  switch (r.pick(kinds)) {
    case 'comment':
      return comment(r);
    case 'goto':
      return { type: 'goto', next: next(r, ids) };
    case 'field':
      return clean({
        type: 'field',
        name: r.maybe(() => r.pick(['input', 'pin', 'deafult'])),
        value: r.maybe(() => r.text(ATTR_CHARS, 5)),
        inputexpires: r.maybe(() => r.int(100, 600_000)),
        length: r.maybe(() => r.int(0, 64)),
        check: r.maybe(() => `https://example.com/c?a=${r.int(0, 9)}&b=<>`),
        prompts: Array.from({ length: r.int(0, 2) }, () => (r.chance(0.2) ? comment(r) : prompt(r))),
      });
    case 'prompt':
      return prompt(r);
    case 'transfer':
      return clean({
        type: 'transfer',
        dest: String(r.int(800, 899)),
        timeout: r.maybe(() => r.int(1, 600)),
      });
    case 'record':
      return clean({
        type: 'record',
        name: 'msg',
        maxtime: r.maybe(() => r.int(1, 3600)),
        public: r.maybe(() => r.chance(0.5)),
        beep: r.maybe(() => r.chance(0.5)),
      });
    case 'hangup':
      return { type: 'hangup' };
    case 'assign':
      return { type: 'assign', name: 'v', expr: cond() };
    case 'choice':
      return { type: 'choice', dtmf: r.pick(['1', '2', '*', '#', 'other']), next: next(r, ids) };
    default:
      return clean({
        type: 'if',
        cond: cond(),
        then: items(r, ids, depth + 1, false),
        elseifs: Array.from({ length: r.int(0, 2) }, () => ({
          cond: cond(),
          items: items(r, ids, depth + 1, false),
        })),
        else: r.maybe(() => items(r, ids, depth + 1, false)),
      });
  }
}

function items(r: Random, ids: string[], depth: number, inMenu: boolean): Item[] {
  return Array.from({ length: r.int(0, 4) }, () => item(r, ids, depth, inMenu));
}

/** A random document: structurally valid (it passes the XSD), not necessarily semantically valid. */
export function randomDocument(seed: number): Document {
  const r = new Random(prng(seed));
  const ids = [
    'main',
    ...Array.from({ length: r.int(0, 4) }, (_, i) => r.pick([`f${i}`, `0${i}01`, `m_${i}`])),
  ];
  const forms: Form[] = [...new Set(ids)].map((id) => {
    const kind = r.chance(0.3) ? 'menu' : 'form';
    return clean({
      type: 'form',
      kind,
      id,
      comments: r.maybe(() => [comment(r).text]),
      items: items(r, ids, 0, kind === 'menu'),
    });
  });
  return clean({
    type: 'document',
    schemaLocation: r.maybe(() => 'http://www.example.org/voicemail switchboard.xsd'),
    forms,
    trailingComments: r.maybe(() => [comment(r).text, comment(r).text]),
  });
}
