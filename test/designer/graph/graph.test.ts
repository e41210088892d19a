// The graph mapping on the manual's example: kinds, labelled exits with their branch steps, edges and edits.
import { describe, expect, it } from 'vitest';
import {
  addNode,
  connect,
  edgesOf,
  exitsOf,
  fromDocument,
  insertForms,
  kindOf,
  removeNodes,
  renameForm,
  setNext,
  toDocument,
} from '../../../designer/src/graph/index.ts';
import { manual } from './manual-ast.ts';

const nodeOf = (g: ReturnType<typeof fromDocument>, id: string) => g.nodes.find((n) => n.form.id === id)!;

describe('graph mapping', () => {
  it('round-trips the document, comments and schema location included', () => {
    const doc = structuredClone(manual);
    expect(toDocument(structuredClone(fromDocument(doc)))).toStrictEqual(manual);
  });

  it('gives each form a kind from its content', () => {
    const g = fromDocument(manual);
    expect(g.nodes.map((n) => kindOf(n.form))).toEqual(['start', 'collect', 'play', 'collect', 'menu']);
  });

  it('labels exits by condition, else, key and next, keeping branch steps', () => {
    const telnum = exitsOf(nodeOf(fromDocument(manual), 'input_telnum').form);
    expect(telnum.map((e) => [e.label, e.next ?? null, e.open])).toEqual([
      ["input_checked == 'LOGIN_SUCCESS'", '#order', false],
      ["input_checked == 'LOGIN_ERROR'", '#input_telnum', false],
      ['else', null, true],
    ]);
    expect(telnum[1].steps).toHaveLength(1);
    expect(telnum[1].steps[0].type).toBe('prompt');
    const menu = exitsOf(nodeOf(fromDocument(manual), 'finish_order').form);
    expect(menu.map((e) => [e.on, e.label, e.next])).toEqual([['choice', 'other', 'hungup']]);
  });

  it('draws an edge only to forms that exist', () => {
    const edges = edgesOf(fromDocument(manual));
    const labels = edges.map((e) => `${e.source}->${e.target}:${e.label}`);
    expect(labels).toContain("n2->n2:input_checked == 'LOGIN_ERROR'");
    expect(labels).toContain('n1->n2:next');
    // `#order` and `#0102` do not exist in this trimmed copy; `hungup` is not a form.
    expect(edges).toHaveLength(5);
  });

  it('connects an open else exit by creating the else branch, and cuts it again', () => {
    const g = fromDocument(manual);
    const key = nodeOf(g, 'input_telnum').key;
    const connected = connect(g, key, '1.else', nodeOf(g, 'main').key);
    const iff = nodeOf(connected, 'input_telnum').form.items[1];
    expect(iff.type === 'if' && iff.else).toEqual([{ type: 'goto', next: '#main' }]);
    const cut = setNext(connected, key, '1.else.0', undefined);
    const after = nodeOf(cut, 'input_telnum').form.items[1];
    expect(after.type === 'if' && after.else).toEqual([]);
  });

  it('renames a form and every reference to it', () => {
    const g = renameForm(fromDocument(manual), nodeOf(fromDocument(manual), 'input_telnum').key, 'login');
    expect(exitsOf(nodeOf(g, 'main').form)[0].next).toBe('#login');
    expect(exitsOf(nodeOf(g, 'login').form)[1].next).toBe('#login');
  });

  it('adds nodes from templates with unique ids and connects their open exit', () => {
    let g = fromDocument(manual);
    const a = addNode(g, 'play');
    const b = addNode(a.graph, 'play');
    g = b.graph;
    expect(nodeOf(g, 'play_2').key).toBe(b.key);
    g = connect(g, a.key, 'next', b.key);
    expect(edgesOf(g).some((e) => e.source === a.key && e.target === b.key && e.label === 'next')).toBe(true);
    expect(exitsOf(nodeOf(g, 'play').form).map((e) => e.open)).toEqual([false]);
  });

  it('pastes forms with new ids and keeps links between the copies', () => {
    const g = fromDocument(manual);
    const forms = [nodeOf(g, 'main').form, nodeOf(g, 'input_telnum').form];
    const { graph, keys } = insertForms(g, forms);
    const copies = graph.nodes.filter((n) => keys.includes(n.key));
    expect(copies.map((n) => n.form.id)).toEqual(['main_2', 'input_telnum_2']);
    expect(exitsOf(copies[0].form)[0].next).toBe('#input_telnum_2');
    expect(removeNodes(graph, new Set(keys)).nodes).toHaveLength(g.nodes.length);
  });
});
