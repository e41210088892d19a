// `ivr simulate` as a process: the food-ordering order path as JSON lines, and its exit codes.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExamplesBackend, type RunningBackend } from '../../examples/backend.ts';
import { parse } from '../../schema/parse.ts';
import { serialize } from '../../schema/serialize.ts';
import { withCheckPort } from '../interpreter/session-harness.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
let backend: RunningBackend;
let dir: string;
let flowFile: string;

beforeAll(async () => {
  backend = await startExamplesBackend({ port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'ivr-simulate-'));
  flowFile = join(dir, 'flow.xml');
  const flow = parse(readFileSync(join(ROOT, 'examples/food-ordering/flow.xml')));
  writeFileSync(flowFile, serialize(withCheckPort(flow, backend.port)));
});
afterAll(async () => {
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

function ivr(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'node',
      ['bin/ivr.js', ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        // A process that exited has a numeric code; anything else (killed, buffer overflow) is a failure.
        const code = err ? (err as { code?: unknown }).code : 0;
        if (typeof code === 'number') resolve({ code, stdout, stderr });
        else reject(err ?? new Error('no exit code'));
      },
    );
  });
}

describe('ivr simulate', () => {
  it('prints the whole order path and the hang-up as JSON lines, ending with the result', async () => {
    const { code, stdout, stderr } = await ivr([
      'simulate',
      flowFile,
      '--keys',
      '13800000000#,0101,1',
      '--callid',
      'cli-1@test',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const forms = lines.filter((l) => l.type === 'form.enter').map((l) => l.form);
    expect(forms).toEqual(['main', 'input_telnum', 'order', '0101', 'input_goods_confirm', 'finish_order']);
    const checks = lines.filter((l) => l.type === 'check.response').map((l) => l.value);
    expect(checks).toEqual(['LOGIN_SUCCESS', '0101', 'OK']);
    expect(lines.filter((l) => l.type === 'hangup')).toMatchObject([
      { reason: 'hangup', form: 'finish_order' },
    ]);
    const last = lines.at(-1) as Record<string, unknown>;
    expect(last).toMatchObject({
      type: 'result',
      endReason: 'hangup',
      result: 'state=1',
      callId: 'cli-1@test',
    });
    expect((last.vars as Record<string, string>).input).toBe('1');
    // Virtual time: the trace spans minutes of prompts, but every event carries its virtual ms.
    expect(last.t as number).toBeGreaterThan(10_000);
    const res = await fetch(`http://127.0.0.1:${backend.port}/orders`);
    const orders = (await res.json()) as { callid: string; items: string[] }[];
    expect(orders.find((o) => o.callid === 'cli-1@test')?.items).toEqual(['0101']);
  });

  it('passes --var values and --caller into the session', async () => {
    const file = join(dir, 'tts.xml');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?><tns:vxml xmlns:tns="http://www.example.org/voicemail">
      <tns:form id="main"><tns:prompt><tns:tts>${'${ttsname}'} ${'${caller}'}</tns:tts></tns:prompt><tns:hangup/></tns:form></tns:vxml>`,
    );
    const { code, stdout } = await ivr(['simulate', file, '--var', 'ttsname=王五', '--caller', '8001']);
    expect(code).toBe(0);
    const start = stdout
      .split('\n')
      .map((l) => (l ? JSON.parse(l) : {}))
      .find((l) => l.type === 'prompt.start');
    expect(start.sources).toEqual(['tts:王五 8001']);
  });

  it('exits 1 with the problems on a document with errors', async () => {
    const file = join(dir, 'bad.xml');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?><tns:vxml xmlns:tns="http://www.example.org/voicemail">
      <tns:form id="main"><tns:goto next="#nowhere"/></tns:form></tns:vxml>`,
    );
    const { code, stdout, stderr } = await ivr(['simulate', file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('E_GOTO_TARGET');
    expect(stderr).toContain(`${file}:`);
  });

  it('exits 1 when the run ends on the step budget', async () => {
    const file = join(dir, 'loop.xml');
    writeFileSync(
      file,
      `<?xml version="1.0" encoding="UTF-8"?><tns:vxml xmlns:tns="http://www.example.org/voicemail">
      <tns:form id="main"><tns:goto next="#main"/></tns:form></tns:vxml>`,
    );
    const { code, stdout } = await ivr(['simulate', file]);
    expect(code).toBe(1);
    const last = JSON.parse(stdout.trim().split('\n').at(-1) as string);
    expect(last).toMatchObject({ type: 'result', endReason: 'step-budget', steps: 10_000 });
  });

  it('exits 2 on usage errors', async () => {
    const runs = await Promise.all([
      ivr(['simulate']),
      ivr(['simulate', flowFile, '--keys', '12x']),
      ivr(['simulate', flowFile, '--bogus', '1']),
      ivr(['simulate', join(dir, 'missing.xml')]),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2, 2]);
    expect(runs[1].stderr).toContain('keys script turn 1');
    expect(runs[0].stderr).toContain('usage: ivr simulate');
  });
});
