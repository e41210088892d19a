import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unknownAttributes } from '../schema/many-problems.ts';
import { runIvr } from '../schema/run-ivr.ts';

const MANUAL = 'test/schema/fixtures/manual-delicious.xml';
const dir = mkdtempSync(join(tmpdir(), 'ivr-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const ok = file(
  'ok.xml',
  `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:prompt><tns:audio src="[FILE_PATH]/hello.wav"/></tns:prompt><tns:hangup/></tns:form>
  <tns:form id="island"><tns:hangup/></tns:form>
</tns:vxml>`,
);

describe('ivr validate', () => {
  it('prints FILE:LINE:COL CODE message and exits 1 on errors', async () => {
    const r = await runIvr(['validate', MANUAL]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`${MANUAL}:38:9 E_GOTO_TARGET next '#0102': no form or menu has the id '0102'\n`);
  });

  it('exits 0 with warnings printed', async () => {
    const r = await runIvr(['validate', ok]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ok}:3:3 W_UNREACHABLE 'island' cannot be reached from main\n`);
  });

  it('prints a JSON array with --json', async () => {
    const r = await runIvr(['validate', '--json', ok, MANUAL]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual([
      {
        file: ok,
        code: 'W_UNREACHABLE',
        severity: 'warning',
        message: expect.any(String),
        form: 'island',
        line: 3,
        column: 3,
      },
      {
        file: MANUAL,
        code: 'E_GOTO_TARGET',
        severity: 'error',
        message: "next '#0102': no form or menu has the id '0102'",
        form: 'order',
        line: 38,
        column: 9,
      },
    ]);
  });

  it('checks audio files under --sounds', async () => {
    const missing = await runIvr(['validate', ok, '--sounds', dir]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      `${ok}:2:35 E_AUDIO_MISSING audio file '[FILE_PATH]/hello.wav' not found`,
    );
    file('hello.wav', 'RIFF');
    expect((await runIvr(['validate', ok, '--sounds', dir])).code).toBe(0);
  });

  it('exits 2 for usage errors and unreadable files', async () => {
    expect((await runIvr(['validate'])).code).toBe(2);
    expect((await runIvr(['validate', '--bogus', ok])).code).toBe(2);
    const r = await runIvr(['validate', join(dir, 'absent.xml'), ok]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read');
    expect(r.stdout).toContain('W_UNREACHABLE');
  });

  it('lists 100 problems of a file and counts the rest, in text and in JSON', async () => {
    const path = file('unknown-attributes.xml', unknownAttributes(30_000));
    const started = performance.now();
    const r = await runIvr(['validate', path]);
    console.log(`ivr validate, 30000 problems: ${(performance.now() - started).toFixed(0)} ms`);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(101);
    expect(lines[0]).toMatch(/:3:3 E_UNKNOWN_ATTR <form> has no attribute 'unknown00000'$/);
    expect(lines[100]).toBe(
      `${path}:1:1 E_MORE_PROBLEMS 29900 more problems not listed (29900 errors, 0 warnings)`,
    );
    const json = JSON.parse((await runIvr(['validate', '--json', path])).stdout) as { omitted?: number }[];
    expect(json).toHaveLength(101);
    expect(json[100]).toMatchObject({ file: path, code: 'E_MORE_PROBLEMS', omitted: 29_900 });
  });
});

describe('ivr validate refuses hostile input with a clear message', () => {
  const laughs = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    ' <!ENTITY lol "lol">',
    ...Array.from({ length: 9 }, (_, i) => ` <!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`),
    ']>',
    '<lolz>&lol9;</lolz>',
  ].join('\n');
  const cases: [string, string | Buffer, string][] = [
    ['billion-laughs.xml', laughs, '2:1 E_DOCTYPE'],
    [
      'external-entity.xml',
      '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
      '2:1 E_DOCTYPE',
    ],
    ['entity-reference.xml', '<x>&e;</x>', '1:4 E_ENTITY'],
    ['deep.xml', '<a>'.repeat(100_000) + '</a>'.repeat(100_000), '1:193 E_TOO_DEEP'],
    [
      'huge.xml',
      Buffer.concat([Buffer.from('<x>'), Buffer.alloc(50 * 1024 * 1024, 'a'), Buffer.from('</x>')]),
      '1:1 E_TOO_LARGE',
    ],
    ['latin1.xml', Buffer.from([0x3c, 0x78, 0x3e, 0xe9, 0x3c, 0x2f, 0x78, 0x3e]), '1:1 E_ENCODING'],
  ];

  it.each(cases)('%s', async (name, content, expected) => {
    const path = file(name, content);
    const r = await runIvr(['validate', path]);
    expect(r.code).toBe(1);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout.startsWith(`${path}:${expected} `)).toBe(true);
    expect(r.stderr).toBe('');
  });
});
