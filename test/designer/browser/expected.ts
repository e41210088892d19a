// What the canvas must show for a document, computed from the parsed XML alone (not the designer's mapping).
import type { Document, Item } from '../../../schema/ast.ts';
import { targetId } from '../../../schema/ast.ts';

function nexts(items: Item[]): string[] {
  return items.flatMap((i) => {
    if (i.type === 'goto' || i.type === 'choice') return [i.next];
    if (i.type === 'if')
      return [...nexts(i.then), ...i.elseifs.flatMap((e) => nexts(e.items)), ...nexts(i.else ?? [])];
    return [];
  });
}

/** Forms, and jumps whose target form exists (each is one labelled edge). */
export function expectedCounts(doc: Document): { nodes: number; edges: number } {
  const ids = new Set(doc.forms.map((f) => f.id));
  const edges = doc.forms.flatMap((f) => nexts(f.items)).filter((n) => ids.has(targetId(n) ?? ''));
  return { nodes: doc.forms.length, edges: edges.length };
}
