import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Document } from '../../schema/ast.ts';
import { checkDocument } from '../../schema/check.ts';
import { parse } from '../../schema/parse.ts';
import { PROBLEM_CODES, validate } from '../../schema/validate.ts';
import { caseFixtures, exampleFiles, FIXTURES } from './fixtures.ts';

const manual = readFileSync(join(FIXTURES, 'manual-delicious.xml'));

describe('validate', () => {
  it('finds exactly the missing form 0102 in the manual example', () => {
    const { problems } = checkDocument(manual);
    expect(problems).toEqual([
      {
        code: 'E_GOTO_TARGET',
        severity: 'error',
        message: "next '#0102': no form or menu has the id '0102'",
        form: 'order',
        line: 38,
        column: 9,
      },
    ]);
  });

  it.each(caseFixtures())('$name reports exactly its expected codes', ({ text, expect: expected }) => {
    const { problems } = checkDocument(text);
    expect(problems.map((p) => p.code).sort()).toEqual([...expected].sort());
    for (const p of problems) {
      expect(p.line).toBeGreaterThan(0);
      expect(p.severity).toBe(p.code.startsWith('W_') ? 'warning' : 'error');
      expect(PROBLEM_CODES[p.code]).toBeTypeOf('string');
    }
  });

  it('reports every problem at once, each in its form, sorted by line', () => {
    const { problems } = checkDocument(`<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="start">
    <tns:goto next="#nowhere"/>
    <tns:prompt/>
  </tns:form>
  <tns:form id="start"/>
  <tns:menu id="m"/>
</tns:vxml>`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.code} ${p.form ?? ''}`)).toEqual([
      '1:1 E_NO_MAIN ',
      '3:5 E_GOTO_TARGET start',
      '4:5 W_DEAD_CODE start',
      '4:5 E_EMPTY_PROMPT start',
      '6:3 E_DUP_ID start',
      '7:3 W_MENU_NO_CHOICE m',
    ]);
  });

  it('checks audio files only when asked', () => {
    const doc = parse(manual);
    const seen: string[] = [];
    const problems = validate(doc, { audioExists: (src) => (seen.push(src), !src.endsWith('menu.wav')) });
    expect(seen).toHaveLength(9);
    expect(problems.filter((p) => p.code === 'E_AUDIO_MISSING')).toMatchObject([
      { form: 'input_telnum', line: 14, message: "audio file '[FILE_PATH]/delicious/menu.wav' not found" },
    ]);
  });

  it('validates documents built in code (no positions)', () => {
    const doc: Document = {
      type: 'document',
      forms: [
        {
          type: 'form',
          kind: 'form',
          id: 'main',
          items: [{ type: 'if', cond: 'a +', then: [], elseifs: [] }],
        },
      ],
    };
    expect(validate(doc)).toEqual([
      {
        code: 'E_COND_SYNTAX',
        severity: 'error',
        message: "cond 'a +': unexpected '+' at offset 2",
        form: 'main',
      },
    ]);
  });

  it('checks ranges of trees built in code, including non-integers', () => {
    const doc: Document = {
      type: 'document',
      forms: [
        {
          type: 'form',
          kind: 'form',
          id: 'main',
          items: [
            { type: 'field', length: 1.5, inputexpires: 5000, prompts: [] },
            { type: 'record', name: 'm', maxtime: 0 },
          ],
        },
      ],
    };
    expect(validate(doc).map((p) => p.message)).toEqual([
      'field length 1.5 must be an integer in 0..64',
      'record maxtime 0 must be an integer in 1..3600',
    ]);
  });

  it('treats items after goto and hangup as dead, inside branches too', () => {
    for (const terminal of ['<tns:hangup/>', '<tns:goto next="hungup"/>']) {
      const text = `<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main"><tns:if cond="a">${terminal}<!-- c --><tns:assign name="x" expr="1"/></tns:if></tns:form></tns:vxml>`;
      expect(checkDocument(text).problems.map((p) => p.code)).toEqual(['W_DEAD_CODE']);
    }
  });

  it('lets a fallback follow a transfer, which goes on when the destination does not answer', () => {
    const text = `<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main"><tns:transfer dest="8"/><tns:hangup/></tns:form></tns:vxml>`;
    expect(checkDocument(text).problems).toEqual([]);
  });

  it('describes every code in one line', () => {
    for (const [code, text] of Object.entries(PROBLEM_CODES)) {
      expect(code).toMatch(/^[EW]_[A-Z_]+$/);
      expect(text).not.toContain('\n');
    }
  });

  it.each(exampleFiles())('example %s has no errors', (path) => {
    const { problems } = checkDocument(readFileSync(path));
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
