// Every example flow: UTF-8 without BOM, no problem from the parser and validator (audio checked against
// sounds/), valid against schema/switchboard.xsd, variables defined, check URLs answered by the backend.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../schema/ast.ts';
import { checkDocument } from '../../schema/check.ts';
import { parse } from '../../schema/parse.ts';
import { parseExpr, templateVariables, variablesOf } from '../../schema/expr.ts';
import { xmllintValidate } from '../../schema/node.ts';
import { ConfinedRoot } from '../../runtime/files/confined-root.ts';
import { soundExistsIn } from '../../runtime/files/sound-source.ts';
import { callParams, startCheckClient, type CheckClient } from './check-client.ts';
import { EXAMPLES_DIR, SOUND_ROOT, exampleNames, itemsOf } from './flows.ts';

const EXAMPLES = ['after-hours', 'balance-query', 'captcha', 'food-ordering', 'satisfaction-survey'];

/** Variables the runtime sets on every call, or on the calls an example is made for. */
const CALL_VARIABLES = new Set(['input', 'input_checked', 'caller', 'callee', 'callid', 'code']);

function load(name: string): { text: string; bytes: Buffer; document: Document } {
  const bytes = readFileSync(join(EXAMPLES_DIR, name, 'flow.xml'));
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const { document, problems } = checkDocument(text, {
    audioExists: soundExistsIn(new ConfinedRoot(SOUND_ROOT)),
  });
  expect(problems).toEqual([]);
  if (!document) throw new Error(`${name}: no document`);
  return { text, bytes, document };
}

/** Variables a document defines: field names and their `_checked`, assign names. */
function definedVariables(document: Document): Set<string> {
  const names = new Set(CALL_VARIABLES);
  for (const field of itemsOf(document, 'field')) {
    if (field.name) names.add(field.name).add(`${field.name}_checked`);
  }
  for (const assign of itemsOf(document, 'assign')) names.add(assign.name);
  return names;
}

it('has the five documented examples, each with a flow and a README', () => {
  expect(exampleNames()).toEqual(EXAMPLES);
  for (const name of EXAMPLES) expect(existsSync(join(EXAMPLES_DIR, name, 'README.md'))).toBe(true);
});

describe.each(EXAMPLES)('examples/%s/flow.xml', (name) => {
  it('is UTF-8 without BOM in the tns namespace', () => {
    const { bytes, text } = load(name);
    expect([...bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
    expect(text).toContain('<tns:vxml xmlns:tns="http://www.example.org/voicemail"');
  });

  it('parses and validates without any problem, audio included', () => {
    expect(load(name).document.forms.some((form) => form.id === 'main')).toBe(true);
  });

  it('is valid against schema/switchboard.xsd', async () => {
    const result = await xmllintValidate(join(EXAMPLES_DIR, name, 'flow.xml'));
    expect(result.output).toContain('validates');
    expect(result.ok).toBe(true);
  });

  it('reads only variables it defines or the runtime sets', () => {
    const { document } = load(name);
    const defined = definedVariables(document);
    const conds = itemsOf(document, 'if').flatMap((chain) => [
      chain.cond,
      ...chain.elseifs.map((e) => e.cond),
    ]);
    const read = [
      ...conds.flatMap((cond) => variablesOf(parseExpr(cond))),
      ...itemsOf(document, 'assign').flatMap((assign) => variablesOf(parseExpr(assign.expr))),
      ...itemsOf(document, 'tts').flatMap((tts) => templateVariables(tts.text)),
    ];
    expect(read.filter((variable) => !defined.has(variable) && !variable.startsWith('tts'))).toEqual([]);
  });

  it('has a backend exactly when it calls check URLs', () => {
    const checks = itemsOf(load(name).document, 'field').flatMap((field) =>
      field.check ? [field.check] : [],
    );
    expect(existsSync(join(EXAMPLES_DIR, name, 'backend.ts'))).toBe(checks.length > 0);
  });
});

describe('check URLs', () => {
  let client: CheckClient;
  beforeAll(async () => {
    client = await startCheckClient();
  });
  afterAll(async () => {
    await client.backend.close();
  });

  const checks = EXAMPLES.flatMap((name) =>
    itemsOf(parse(readFileSync(join(EXAMPLES_DIR, name, 'flow.xml'))), 'field').flatMap((field) =>
      field.check ? [[name, field.check]] : [],
    ),
  );

  it('exist in the food-ordering and balance-query examples', () => {
    expect(new Set(checks.map(([name]) => name))).toEqual(new Set(['food-ordering', 'balance-query']));
  });

  it.each(checks)('%s: %s is answered by the examples backend on port 8080', async (_name, check) => {
    const url = new URL(check);
    expect(url.origin).toBe('http://127.0.0.1:8080');
    const { status, body } = await client.check(url.pathname + url.search, callParams('flows-test', '1'));
    expect(status).toBe(200);
    expect(body).not.toBe('');
  });
});

describe('food-ordering keeps the manual', () => {
  it("has the manual's forms in order, plus 0102 and the added endings", () => {
    const { document } = load('food-ordering');
    expect(document.forms.map((form) => `${form.kind}:${form.id}`)).toEqual([
      'form:main',
      'form:input_telnum',
      'form:order',
      'form:0101',
      'form:0102',
      'form:input_goods_confirm',
      'menu:finish_order',
      'form:no_input',
      'form:service_error',
    ]);
  });

  it("keeps the play-only fields named deafult [sic] and the manual's attributes", () => {
    const { document } = load('food-ordering');
    const fields = itemsOf(document, 'field');
    expect(fields.filter((field) => field.name === 'deafult' && field.value === 'deafult')).toHaveLength(2);
    expect(fields.map((field) => [field.length, field.inputexpires])).toEqual([
      [20, 7000],
      [4, 7000],
      [0, undefined],
      [0, undefined],
      [1, undefined],
      [0, undefined],
    ]);
    expect(itemsOf(document, 'choice')).toEqual([{ type: 'choice', dtmf: 'other', next: 'hungup' }]);
  });

  it("keeps the manual's comments", () => {
    const { text } = load('food-ordering');
    for (const comment of [
      '保存格式为 UTF-8 无 BOW 格式',
      '用于快餐，电话购买等业务',
      'main 是 IVR 呼叫流程的入口，起始执行节点',
      '收集客户电话',
      '号码验证完毕, 跳转到餐品输入',
      '号码验证失败',
      '输入餐品',
      '餐品已售罄',
      '您的输入有误',
      '食品 0101',
      '食品订购确认',
      '确认并完成点餐',
      '确认并继续点餐',
      '重新输入',
      '下单成功提示',
    ]) {
      expect(text).toContain(`<!--${comment}-->`);
    }
  });
});
