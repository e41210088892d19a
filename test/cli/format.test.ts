import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIvr } from '../schema/run-ivr.ts';

const dir = mkdtempSync(join(tmpdir(), 'ivr-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const messy = `\uFEFF<?xml version="1.0" encoding="UTF-8"?>\r
<t:vxml xmlns:t="http://www.example.org/voicemail"><!-- entry -->
<t:form   id="main" ><t:field check="https://example.com/c?a=1&amp;b=2" length='4' name="pin">
<t:prompt bargein="true"   repeat="2"><t:tts>Hello &lt;\${caller}&gt;</t:tts></t:prompt></t:field>
      <t:goto next="hungup"></t:goto></t:form></t:vxml>`;

const canonical = `<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <!-- entry -->
  <tns:form id="main">
    <tns:field name="pin" length="4" check="https://example.com/c?a=1&amp;b=2">
      <tns:prompt repeat="2" bargein="true">
        <tns:tts>Hello &lt;\${caller}&gt;</tns:tts>
      </tns:prompt>
    </tns:field>
    <tns:goto next="hungup"/>
  </tns:form>
</tns:vxml>
`;

describe('ivr format', () => {
  it('prints the canonical serialization', async () => {
    const path = join(dir, 'messy.xml');
    writeFileSync(path, messy);
    const r = await runIvr(['format', path]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(canonical);
    expect(readFileSync(path, 'utf8')).toBe(messy);
  });

  it('rewrites in place with --write, only when changed, and is idempotent', async () => {
    const path = join(dir, 'rewrite.xml');
    writeFileSync(path, messy);
    const first = await runIvr(['format', '--write', path]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(`formatted ${path}`);
    expect(readFileSync(path, 'utf8')).toBe(canonical);
    const mtime = statSync(path).mtimeMs;
    const second = await runIvr(['format', '--write', path]);
    expect(second.code).toBe(0);
    expect(second.stderr).toBe('');
    expect(statSync(path).mtimeMs).toBe(mtime);
    expect((await runIvr(['format', path])).stdout).toBe(canonical);
  });

  it('formats a fixture to text that formats to itself', async () => {
    const r = await runIvr(['format', 'test/schema/fixtures/valid/if.xml']);
    expect(r.code).toBe(0);
    const path = join(dir, 'if.xml');
    writeFileSync(path, r.stdout);
    expect((await runIvr(['format', path])).stdout).toBe(r.stdout);
  });

  it('refuses a file with errors and prints its problems', async () => {
    const path = join(dir, 'broken.xml');
    const broken =
      '<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main"><tns:goto/></tns:form></tns:vxml>';
    writeFileSync(path, broken);
    const r = await runIvr(['format', '--write', path]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${path}:1:76 E_MISSING_ATTR`);
    expect(readFileSync(path, 'utf8')).toBe(broken);
  });

  it('exits 2 on usage errors and unreadable files', async () => {
    expect((await runIvr(['format'])).code).toBe(2);
    expect((await runIvr(['format', join(dir, 'absent.xml')])).code).toBe(2);
  });
});
