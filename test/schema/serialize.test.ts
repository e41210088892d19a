import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Document } from '../../schema/ast.ts';
import { parse, parseDocument } from '../../schema/parse.ts';
import { serialize } from '../../schema/serialize.ts';
import { caseFixtures, validDocuments } from './fixtures.ts';
import { randomDocument } from './random-document.ts';

/** Parses a file leniently: round-trip holds for any document the parser builds without structural errors. */
function parseFile(path: string): Document {
  const { document, problems } = parseDocument(readFileSync(path));
  expect(problems).toEqual([]);
  return document as Document;
}

describe('serialize', () => {
  it('writes the canonical form: declaration, tns prefix, attribute order, two-space indent, final newline', () => {
    const text = serialize({
      type: 'document',
      forms: [
        {
          type: 'form',
          kind: 'form',
          id: 'main',
          items: [
            {
              type: 'field',
              check: 'http://x/?a=1&b=2',
              length: 4,
              inputexpires: 7000,
              value: 'v',
              name: 'n',
              prompts: [],
            },
            { type: 'record', beep: false, public: true, maxtime: 5, name: 'm' },
            { type: 'transfer', timeout: 3, dest: '801' },
          ],
        },
        { type: 'form', kind: 'menu', id: 'm', items: [{ type: 'choice', next: 'hungup', dtmf: 'other' }] },
      ],
    });
    expect(text).toBe(`<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="n" value="v" inputexpires="7000" length="4" check="http://x/?a=1&amp;b=2"/>
    <tns:record name="m" maxtime="5" public="true" beep="false"/>
    <tns:transfer dest="801" timeout="3"/>
  </tns:form>
  <tns:menu id="m">
    <tns:choice dtmf="other" next="hungup"/>
  </tns:menu>
</tns:vxml>
`);
  });

  it('escapes tts text and keeps it exactly', () => {
    const doc: Document = {
      type: 'document',
      forms: [
        {
          type: 'form',
          kind: 'form',
          id: 'main',
          items: [{ type: 'prompt', sources: [{ type: 'tts', text: ' a < b && c > d ]]> "${x}"\n' }] }],
        },
      ],
    };
    const text = serialize(doc);
    expect(text).toContain('<tns:tts> a &lt; b &amp;&amp; c &gt; d ]]&gt; "${x}"\n</tns:tts>');
    expect(parse(text)).toEqual(doc);
  });

  it("writes '--' in a comment as '- -' (XML forbids it) and pads comments with one space", () => {
    const doc: Document = {
      type: 'document',
      forms: [{ type: 'form', kind: 'form', id: 'main', comments: ['a -- b --- c -'], items: [] }],
    };
    const text = serialize(doc);
    expect(text).toContain('<!-- a - - b - - - c - -->');
    expect(parse(text).forms[0].comments).toEqual(['a - - b - - - c -']);
  });

  it('writes xmlns:xsi and xsi:schemaLocation only when schemaLocation is set', () => {
    const base: Document = { type: 'document', forms: [] };
    expect(serialize(base)).not.toContain('xmlns:xsi');
    expect(serialize({ ...base, schemaLocation: 'u f.xsd' })).toContain(
      'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="u f.xsd"',
    );
  });
});

describe('parse(serialize(doc)) deep-equals doc', () => {
  const files = [
    ...validDocuments(),
    ...caseFixtures()
      .filter((f) => !f.expect.some(isStructural))
      .map((f) => f.path),
  ];

  it.each(files)('%s', (path) => {
    const doc = parseFile(path);
    const text = serialize(doc);
    expect(parse(text)).toEqual(doc);
    expect(serialize(parse(text))).toBe(text);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    expect(text.endsWith('</tns:vxml>\n') || text.endsWith('/>\n')).toBe(true);
  });

  it('holds for 300 random documents (seeded)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const doc = randomDocument(seed);
      const text = serialize(doc);
      expect({ seed, doc: parse(text) }).toEqual({ seed, doc });
    }
  });
});

function isStructural(code: string): boolean {
  return (
    [
      'E_ROOT',
      'E_NAMESPACE',
      'E_UNKNOWN_ELEMENT',
      'E_PLACEMENT',
      'E_UNKNOWN_ATTR',
      'E_MISSING_ATTR',
    ].includes(code) || ['E_ATTR_VALUE', 'E_IF_ORDER', 'E_TEXT'].includes(code)
  );
}
