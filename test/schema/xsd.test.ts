import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { serialize } from '../../schema/serialize.ts';
import { xmllintValidate } from '../../schema/node.ts';
import { caseFixtures, validDocuments } from './fixtures.ts';
import { randomDocument } from './random-document.ts';

// Codes whose documents break the dialect's structure, which the XSD must refuse as well.
const STRUCTURAL = new Set([
  'E_ROOT',
  'E_NAMESPACE',
  'E_UNKNOWN_ELEMENT',
  'E_PLACEMENT',
  'E_UNKNOWN_ATTR',
  'E_MISSING_ATTR',
  'E_ATTR_VALUE',
  'E_IF_ORDER',
  'E_TEXT',
  'E_CHOICE_OUTSIDE_MENU',
]);

describe('switchboard.xsd (xmllint --schema)', () => {
  it.each(validDocuments())('accepts %s', async (path) => {
    const result = await xmllintValidate(path);
    expect(result.output).toContain('validates');
    expect(result.ok).toBe(true);
  });

  it.each(caseFixtures().filter((f) => f.expect.some((c) => STRUCTURAL.has(c))))(
    'refuses $name',
    async ({ path }) => {
      const result = await xmllintValidate(path);
      expect(result.ok).toBe(false);
      expect(result.output).toMatch(/fails to validate/);
    },
  );

  it.each(caseFixtures().filter((f) => !f.expect.some((c) => STRUCTURAL.has(c))))(
    'accepts $name (semantic problems only)',
    async ({ path }) => {
      expect((await xmllintValidate(path)).ok).toBe(true);
    },
  );

  const dir = mkdtempSync(join(tmpdir(), 'ivr-xsd-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the serialization of 40 random documents', async () => {
    // One xmllint run per file would take long: write them all and validate them in one go per batch.
    const files = Array.from({ length: 40 }, (_, i) => {
      const file = join(dir, `random-${i + 1}.xml`);
      writeFileSync(file, serialize(randomDocument(1000 + i)));
      return file;
    });
    const results = await Promise.all(files.map((f) => xmllintValidate(f)));
    expect(results.filter((r) => !r.ok).map((r) => r.output)).toEqual([]);
  });

  it('validates XML given as text', async () => {
    const ok = await xmllintValidate(
      '<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="0101"><tns:hangup/></tns:form></tns:vxml>',
    );
    expect(ok.ok).toBe(true);
    const bad = await xmllintValidate(
      '<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form><tns:prompt bargein="1"/></tns:form></tns:vxml>',
    );
    expect(bad.ok).toBe(false);
    expect(bad.output).toContain("attribute 'id' is required");
    expect(bad.output).toContain('bargein');
  });
});
