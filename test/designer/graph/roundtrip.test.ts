// Every example and schema fixture survives document -> graph -> document unchanged, and lays out.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../../schema/parse.ts';
import { serialize } from '../../../schema/serialize.ts';
import { edgesOf, exitsOf, fromDocument, toDocument } from '../../../designer/src/graph/index.ts';
import { layoutGraph } from '../../../designer/src/graph/layout.ts';
import { targetId } from '../../../schema/ast.ts';
import { documentFiles, repoPath } from './files.ts';

const files = documentFiles();
const parsed = files
  .map((file) => ({ file, result: parseDocument(readFileSync(repoPath(file), 'utf8')) }))
  .filter((f) => f.result.document !== undefined);

describe('document <-> graph round trip', () => {
  it('has documents to check, including the manual example and the examples', () => {
    expect(parsed.length).toBeGreaterThan(0);
    expect(parsed.some((f) => /manual|food|switchboard/i.test(f.file))).toBe(true);
  });

  it.each(parsed.map((f) => [f.file, f.result.document!] as const))('%s', (_file, doc) => {
    const graph = fromDocument(doc);
    // The store keeps snapshots (structured clones): the round trip must survive them too.
    const back = toDocument(structuredClone(graph));
    expect(back).toStrictEqual(doc);
    expect(serialize(back)).toBe(serialize(doc));
    expect(graph.nodes).toHaveLength(doc.forms.length);
    const ids = new Set(doc.forms.map((f) => f.id));
    const linked = graph.nodes.flatMap((n) =>
      exitsOf(n.form).filter((e) => e.next !== undefined && ids.has(targetId(e.next) ?? '')),
    );
    expect(edgesOf(graph)).toHaveLength(linked.length);
  });

  it.each(parsed.map((f) => [f.file, f.result.document!] as const))('lays out %s', async (_file, doc) => {
    const graph = fromDocument(doc);
    const positions = await layoutGraph(graph);
    expect(Object.keys(positions).sort()).toEqual(graph.nodes.map((n) => n.key).sort());
    const spots = new Set(Object.values(positions).map((p) => `${Math.round(p.x)},${Math.round(p.y)}`));
    expect(spots.size).toBe(graph.nodes.length);
  });
});
