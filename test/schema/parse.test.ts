import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locationOf, type Field, type If, type Prompt } from '../../schema/ast.ts';
import { DialectError } from '../../schema/errors.ts';
import { parse, parseDocument } from '../../schema/parse.ts';
import { FIXTURES } from './fixtures.ts';

const NS = 'xmlns:tns="http://www.example.org/voicemail"';
const wrap = (body: string) => `<tns:vxml ${NS}><tns:form id="main">${body}</tns:form></tns:vxml>`;
const codes = (input: string | Uint8Array) => parseDocument(input).problems.map((p) => p.code);

describe('parse: the manual example', () => {
  const doc = parse(readFileSync(join(FIXTURES, 'manual-delicious.xml')));

  it('reads every form with typed attributes', () => {
    expect(doc.schemaLocation).toBe('http://www.example.org/voicemail voicemail.xsd');
    expect(doc.forms.map((f) => `${f.kind}:${f.id}`)).toEqual([
      'form:main',
      'form:input_telnum',
      'form:order',
      'form:0101',
      'form:input_goods_confirm',
      'menu:finish_order',
    ]);
    const field = doc.forms[1].items[0] as Field;
    expect(field).toMatchObject({ name: 'input', inputexpires: 7000, length: 20 });
    expect((field.prompts[0] as Prompt).bargein).toBe(true);
    expect(doc.forms[3].items[0]).toMatchObject({ name: 'deafult', value: 'deafult', length: 0 });
  });

  it('nests elseif and else inside if', () => {
    const branch = doc.forms[4].items[1] as If;
    expect(branch.cond).toBe("input == '1'");
    expect(branch.then).toEqual([{ type: 'goto', next: '#finish_order' }]);
    expect(branch.elseifs).toEqual([{ cond: "input == '2'", items: [{ type: 'goto', next: '#order' }] }]);
    expect(branch.else).toEqual([{ type: 'goto', next: '#input_goods_confirm' }]);
  });

  it('keeps the comment before a form and records positions', () => {
    expect(doc.forms[4].comments).toEqual([
      'form id="0102" is referenced above but not defined in the manual',
    ]);
    expect(locationOf(doc.forms[1])).toEqual({ line: 10, column: 3 });
    expect(locationOf((doc.forms[1].items[0] as Field).prompts[0])).toEqual({ line: 13, column: 7 });
    expect(locationOf((doc.forms[2].items[1] as If).elseifs[1])).toEqual({ line: 40, column: 7 });
  });
});

describe('parse: comments, text and namespaces', () => {
  it('places comments in forms, fields, prompts, branches and after the last form', () => {
    const doc = parse(`\uFEFF<!-- outside, dropped --><tns:vxml ${NS}>
      <!-- a --><!-- b --><tns:form id="main"><!-- c --><tns:field><!-- d --><tns:prompt><!--e--><tns:tts>x</tns:tts></tns:prompt></tns:field>
      <tns:if cond="a"><!-- f --><tns:elseif cond="b"/><!-- g --></tns:if></tns:form><!-- z --></tns:vxml><!-- dropped -->`);
    const form = doc.forms[0];
    expect(form.comments).toEqual(['a', 'b']);
    expect(form.items[0]).toEqual({ type: 'comment', text: 'c' });
    const field = form.items[1] as Field;
    expect(field.prompts[0]).toEqual({ type: 'comment', text: 'd' });
    expect((field.prompts[1] as Prompt).sources[0]).toEqual({ type: 'comment', text: 'e' });
    const branch = form.items[2] as If;
    expect(branch.then).toEqual([{ type: 'comment', text: 'f' }]);
    expect(branch.elseifs[0].items).toEqual([{ type: 'comment', text: 'g' }]);
    expect(doc.trailingComments).toEqual(['z']);
    expect(locationOf(form.items[0])).toEqual({ line: 2, column: 47 });
  });

  it('decodes entities and character references in text and attributes, and keeps tts text as is', () => {
    const doc = parse(
      wrap(
        `<tns:prompt><tns:tts voice="a&amp;b">  &lt;${'${x}'}&#65;&#x42;&quot; <![CDATA[<&>]]>\n</tns:tts></tns:prompt>`,
      ),
    );
    expect((doc.forms[0].items[0] as Prompt).sources[0]).toEqual({
      type: 'tts',
      voice: 'a&b',
      text: '  <${x}AB" <&>\n',
    });
  });

  it('accepts any prefix bound to the dialect namespace, and a default namespace', () => {
    expect(
      parse(`<v:vxml xmlns:v="http://www.example.org/voicemail"><v:form id="main"/></v:vxml>`).forms[0].id,
    ).toBe('main');
    expect(
      parse(`<vxml xmlns="http://www.example.org/voicemail"><menu id="main"/></vxml>`).forms[0].kind,
    ).toBe('menu');
  });

  it('normalizes CRLF so that positions count lines the same way', () => {
    const doc = parse(`<tns:vxml ${NS}>\r\n\r\n  <tns:form id="main"/></tns:vxml>`);
    expect(locationOf(doc.forms[0])).toEqual({ line: 3, column: 3 });
  });
});

describe('parse: structural problems', () => {
  it('collects every problem with its position and still returns a document', () => {
    const result = parseDocument(`<tns:vxml ${NS} color="red">
  <tns:form id="main">
    <tns:goto/>
    <tns:field length="x" bargein="true"><tns:audio src="a"/></tns:field>
    <tns:prompt bargein="yes"><tns:tts>x<tns:audio src="a"/></tns:tts></tns:prompt>
    <other:goto xmlns:other="urn:other" next="#a"/>
    <tns:unknown/>
    oops
    <tns:if cond="a"><tns:else/><tns:elseif cond="b"/><tns:goto next="#main"/></tns:if>
  </tns:form>
  <tns:goto next="#main"/>
</tns:vxml>`);
    expect(result.document?.forms[0].id).toBe('main');
    expect(result.problems.map((p) => `${p.line}:${p.column} ${p.code}`)).toEqual([
      '1:1 E_UNKNOWN_ATTR',
      '3:5 E_MISSING_ATTR',
      '4:5 E_ATTR_VALUE',
      '4:5 E_UNKNOWN_ATTR',
      '4:42 E_PLACEMENT',
      '5:5 E_ATTR_VALUE',
      '5:41 E_PLACEMENT',
      '6:5 E_NAMESPACE',
      '7:5 E_UNKNOWN_ELEMENT',
      '2:3 E_TEXT',
      '9:33 E_IF_ORDER',
      '9:55 E_IF_ORDER',
      '11:3 E_PLACEMENT',
    ]);
    expect(result.problems[1]).toMatchObject({ form: 'main', severity: 'error' });
  });

  it('refuses a wrong root and a wrong namespace', () => {
    expect(codes(`<tns:voicexml ${NS}/>`)).toEqual(['E_ROOT']);
    expect(codes(`<tns:vxml xmlns:tns="http://example.org/other"><tns:form id="main"/></tns:vxml>`)).toEqual([
      'E_NAMESPACE',
      'E_NAMESPACE',
    ]);
  });

  it('parse() throws a DialectError whose message is the first problem', () => {
    expect(() => parse(wrap('<tns:goto/>'))).toThrow(DialectError);
    expect(() => parse(wrap('<tns:goto/>'))).toThrow(/^1:\d+ E_MISSING_ATTR /);
  });
});

describe('parse: XML-level refusals', () => {
  const refusal = (input: string | Uint8Array, opts = {}) => {
    const result = parseDocument(input, opts);
    expect(result.document).toBeUndefined();
    expect(result.problems).toHaveLength(1);
    return result.problems[0];
  };

  it.each([
    ['<tns:vxml', 'E_XML_SYNTAX'],
    [`<tns:vxml ${NS}><tns:form id="main"></tns:vxml>`, 'E_XML_SYNTAX'],
    ['', 'E_XML_SYNTAX'],
    ['<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', 'E_DOCTYPE'],
    ['<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>', 'E_DOCTYPE'],
    ['<x>&ext;</x>', 'E_ENTITY'],
    ['<x>a & b</x>', 'E_XML_SYNTAX'],
    ['<?xml version="1.0"?><?xml-stylesheet href="a"?><x/>', 'E_PI'],
    ['<x/><?php echo 1 ?>', 'E_PI'],
  ])('%j -> %s', (input, code) => {
    expect(refusal(input).code).toBe(code);
  });

  it('gives the position of the refusal', () => {
    expect(refusal('<a>\n  <!DOCTYPE x>\n</a>')).toMatchObject({ code: 'E_DOCTYPE', line: 2, column: 3 });
    expect(refusal('<a>\n<b></a>')).toMatchObject({ code: 'E_XML_SYNTAX', line: 2 });
  });

  it('refuses deep nesting without recursing, and honours maxDepth', () => {
    expect(refusal('<a>'.repeat(100_000) + '</a>'.repeat(100_000)).code).toBe('E_TOO_DEEP');
    expect(refusal(wrap('<tns:if cond="a"><tns:if cond="b"/></tns:if>'), { maxDepth: 3 })).toMatchObject({
      code: 'E_TOO_DEEP',
      line: 1,
    });
    expect(
      parseDocument(wrap('<tns:if cond="a"><tns:if cond="b"/></tns:if>'), { maxDepth: 4 }).document,
    ).toBeDefined();
  });

  it('refuses oversize input before parsing it', () => {
    expect(refusal(`<x>${'a'.repeat(3 * 1024 * 1024)}</x>`).code).toBe('E_TOO_LARGE');
    expect(refusal(new Uint8Array(2 * 1024 * 1024 + 1)).code).toBe('E_TOO_LARGE');
    expect(refusal(wrap(''), { maxBytes: 20 }).code).toBe('E_TOO_LARGE');
    // multi-byte characters count as bytes: 700 000 × 3 bytes > 2 MiB
    expect(refusal(`<x>${'你'.repeat(700_000)}</x>`).code).toBe('E_TOO_LARGE');
  });

  it('refuses bytes that are not UTF-8, and accepts a UTF-8 BOM', () => {
    expect(refusal(new Uint8Array([0x3c, 0x78, 0xff, 0x2f, 0x3e])).code).toBe('E_ENCODING');
    const bytes = new TextEncoder().encode(
      `\uFEFF<?xml version="1.0" encoding="UTF-8"?>${wrap('<tns:hangup/>')}`,
    );
    expect(parse(bytes).forms[0].items).toEqual([{ type: 'hangup' }]);
  });
});
