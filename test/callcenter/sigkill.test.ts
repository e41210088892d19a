// SIGKILL in the middle of 20 live calls: `ivr serve` as a child process takes 20 concurrent sipp calls into a
// flow that waits, is killed once sipp saw every call answered, and the SQLite file then holds a call-log row for
// each of them, opens cleanly, and a restarted runtime takes a new call.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killPeers, runSipp, SIPP_DIR, waitFor } from '../media/embedded/sip/peers.ts';
import { getJson, ROOT, runCueSipp, tempDir, until } from '../calls/harness.ts';

const CALLS = 20;
const dir = tempDir('ivr-sigkill-');
const children = new Set<ChildProcess>();

afterEach(() => killPeers());
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

// Waits a minute for one key, then hangs up: every call is still live when the runtime is killed.
const FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:field name="key" length="1" inputexpires="60000"/><tns:hangup/></tns:form>
</tns:vxml>`;

interface Served {
  child: ChildProcess;
  http: number;
  sip: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `node bin/ivr.js serve --config FILE --flow FILE`; resolves once it printed where it listens. */
async function serve(config: string, flow: string): Promise<Served> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'bin/ivr.js'), 'serve', '--config', config, '--flow', flow],
    {
      cwd: ROOT,
      env: { ...process.env, IVR_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  children.add(child);
  let text = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      done({ code, signal });
    }),
  );
  const listening = new Promise<RegExpExecArray>((done, fail) => {
    const check = () => {
      const m = /HTTP on http:\/\/127\.0\.0\.1:(\d+), SIP on (127\.0\.0\.1:\d+)/.exec(text);
      if (m) done(m);
    };
    const onData = (d: Buffer) => {
      text += d.toString();
      check();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exit.then(({ code }) => fail(new Error(`ivr serve exited (${code}) before listening: ${text}`)));
  });
  const m = await listening;
  return { child, http: Number(m[1]), sip: m[2], exit };
}

/** The numbered scenario with its marker folder filled in, named the way runSipp names scenarios. */
function numberedScenario(markers: string): string {
  const text = readFileSync(join(import.meta.dirname, 'fixtures/sipp/uac_numbered_wait.xml'), 'utf8');
  const file = join(dir, 'uac_numbered_wait.xml');
  writeFileSync(file, text.replaceAll('{{DIR}}', markers));
  return relative(SIPP_DIR, file);
}

interface Row {
  callid: string;
  caller: string;
  callee: string;
  state: string;
  begin_time: number;
}

describe('ivr serve killed with SIGKILL during 20 calls', () => {
  it('keeps a call-log row for every answered call; the store opens cleanly; a restart takes calls', async () => {
    const db = join(dir, 'ivr.db');
    const flow = join(dir, 'flow.xml');
    const config = join(dir, 'ivr.config.json');
    const markers = join(dir, 'answered');
    mkdirSync(markers);
    writeFileSync(flow, FLOW);
    writeFileSync(
      config,
      JSON.stringify({
        http: { host: '127.0.0.1', port: 0 },
        sip: { host: '127.0.0.1', port: 0 },
        db,
        sounds: join(ROOT, 'sounds'),
        recordings: join(dir, 'rec'),
        voicemail: join(dir, 'voicemail'),
      }),
    );

    const first = await serve(config, flow);
    const load = await runSipp(numberedScenario(markers), first.sip, {
      service: '1000',
      timeoutSec: 120,
      // 20 calls, all at once (up to 20 live), placed at 20 per second.
      extra: ['-m', String(CALLS), '-l', String(CALLS), '-r', String(CALLS)],
    });
    const answered = () => readdirSync(markers).map((f) => `5559${f.replace('answered-', '')}`);
    await waitFor(() => answered().length === CALLS, 60_000, `sipp to see ${CALLS} calls answered`);
    first.child.kill('SIGKILL');
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });
    load.kill();
    await load.done;

    const store = new Database(db);
    let rows: Row[];
    try {
      expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
      rows = store.prepare('SELECT callid, caller, callee, state, begin_time FROM call_logs').all() as Row[];
    } finally {
      store.close();
    }
    expect(rows.map((r) => r.caller).sort()).toEqual(answered().sort());
    for (const r of rows) {
      expect(r).toMatchObject({ callee: '1000', state: 'STATE_RECEIVING' });
      expect(r.callid).toMatch(/^[0-9a-f-]{36}@127\.0\.0\.1$/);
    }

    const second = await serve(config, flow);
    try {
      const call = await runCueSipp(dir, 'uac_hangup_on_cue.xml', second.sip, { service: '1000' });
      await until(
        async () => (await getJson<{ calls: number }>(second.http, '/healthz')).calls === 1,
        15_000,
        'the new call to be taken',
      );
      await call.cue();
      const result = await call.done;
      expect(result.code, result.errors).toBe(0);
      await until(
        async () => (await getJson<{ calls: number }>(second.http, '/healthz')).calls === 0,
        15_000,
        'the new call to end',
      );
      const { calls } = await getJson<{ calls: { caller: string; state: string }[] }>(
        second.http,
        '/api/calls?limit=100',
      );
      expect(calls).toHaveLength(CALLS + 1);
      // The restart closed what the crash left open: answered before the kill, ended by it.
      expect(calls.filter((c) => c.caller !== '5551234')).toEqual(
        Array(CALLS).fill(expect.objectContaining({ state: 'STATE_RECEIVED', endReason: 'interrupted' })),
      );
      expect(calls.filter((c) => c.caller === '5551234')).toEqual([
        expect.objectContaining({ state: 'STATE_RECEIVED', endReason: 'caller-hangup' }),
      ]);
    } finally {
      second.child.kill('SIGTERM');
      await second.exit;
    }
  }, 120_000);
});
