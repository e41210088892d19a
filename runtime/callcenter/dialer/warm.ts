// Speech prepared while the customer's phone rings: the TTS of a dialer call whose text is known before the
// answer (a CAPTCHA code; an IVR's `<tns:tts>` that reads only the request's variables, `caller` and `callee`)
// is synthesised into the TTS cache then, so the customer does not wait for it after answering.
import type { Document } from '../../../schema/ast.ts';
import { interpolate, templateVariables } from '../../../schema/expr.ts';
import type { MediaSource } from '../../media/contract.ts';

/** Texts prepared per call at most (a flow may have many prompts; the first ones matter). */
const MAX_TEXTS = 16;

/** Every `{ type: 'tts' }` node of a document, in document order. */
function ttsNodes(node: unknown, out: { text: string; voice?: string }[]): void {
  if (out.length >= MAX_TEXTS || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) ttsNodes(n, out);
    return;
  }
  const rec = node as Record<string, unknown>;
  if (rec.type === 'tts' && typeof rec.text === 'string') {
    out.push({ text: rec.text, ...(typeof rec.voice === 'string' ? { voice: rec.voice } : {}) });
    return;
  }
  for (const v of Object.values(rec)) ttsNodes(v, out);
}

/** The TTS an IVR will speak that depends only on `known` variables, interpolated as the session will. */
export function knownSpeech(document: Document, known: Record<string, string>): MediaSource[] {
  const nodes: { text: string; voice?: string }[] = [];
  ttsNodes(document.forms, nodes);
  const out: MediaSource[] = [];
  for (const n of nodes) {
    if (!templateVariables(n.text).every((name) => Object.hasOwn(known, name))) continue;
    const text = interpolate(n.text, (name) => known[name]);
    out.push(n.voice ? { kind: 'tts', text, voice: n.voice } : { kind: 'tts', text });
  }
  return out;
}
