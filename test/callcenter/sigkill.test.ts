// SIGKILL five times in the middle of 100 calls: in each round `ivr serve` as a child process, on the same SQLite
// file, takes 20 concurrent sipp calls into a flow that waits and is killed once sipp saw every call answered.
// After each kill the file passes integrity_check and holds one call-log row for every call answered in every
// round so far (none lost, none duplicated); after the fifth a restarted runtime takes a new call.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { killPeers, runSipp, SIPP_DIR, waitFor } from '../media/embedded/sip/peers.ts';
import { getJson, ROOT, runCueSipp, tempDir, until } from '../calls/harness.ts';
import { killServed, serveChild } from '../cli/serve-child.ts';

const ROUNDS = 5;
/** Calls per round, all live at once. */
const CALLS = 20;
const dir = tempDir('ivr-sigkill-');

afterEach(() => killPeers());
afterAll(() => {
  killServed();
  rmSync(dir, { recursive: true, force: true });
});

// Waits a minute for one key, then hangs up: every call is still live when the runtime is killed.
const FLOW = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:field name="key" length="1" inputexpires="60000"/><tns:hangup/></tns:form>
</tns:vxml>`;

/** `ivr serve --config FILE --flow FILE`, once it printed where it listens. */
async function serve(config: string, flow: string) {
  const served = serveChild(['--config', config, '--flow', flow]);
  return { ...served, ...(await served.listening()) };
}

/** The numbered scenario with its marker folder and caller prefix filled in, named the way runSipp names them. */
function numberedScenario(markers: string, prefix: string): string {
  const text = readFileSync(join(import.meta.dirname, 'fixtures/sipp/uac_numbered_wait.xml'), 'utf8');
  const file = join(dir, `uac_numbered_wait-${prefix}.xml`);
  writeFileSync(file, text.replaceAll('{{DIR}}', markers).replaceAll('{{PREFIX}}', prefix));
  return relative(SIPP_DIR, file);
}

interface Row {
  callid: string;
  caller: string;
  callee: string;
  state: string;
  end_reason: string | null;
}

/** The call logs as the file holds them after a kill, read-only so that only the runtime repairs anything. */
function rowsAfterKill(db: string): Row[] {
  const store = new Database(db, { readonly: true });
  try {
    expect(store.pragma('integrity_check', { simple: true })).toBe('ok');
    return store.prepare('SELECT callid, caller, callee, state, end_reason FROM call_logs').all() as Row[];
  } finally {
    store.close();
  }
}

/** Rows of callers `<prefix>…` whose answer is committed (read while the runtime writes, as WAL allows). */
function answersInStore(db: string, prefix: string): number {
  const store = new Database(db, { readonly: true });
  try {
    const sql =
      'SELECT count(*) AS n FROM call_logs WHERE substr(caller, 1, ?) = ? AND answer_time IS NOT NULL';
    return (store.prepare(sql).get(prefix.length, prefix) as { n: number }).n;
  } finally {
    store.close();
  }
}

/**
 * One round: starts the runtime, places CALLS calls whose callers are `<prefix><n>`, waits until sipp saw them
 * all answered and the runtime committed their answers, SIGKILLs it; returns the callers sipp saw answered.
 */
async function killedRound(config: string, flow: string, db: string, prefix: string): Promise<string[]> {
  const markers = join(dir, `answered-${prefix}`);
  mkdirSync(markers);
  const served = await serve(config, flow);
  const load = await runSipp(numberedScenario(markers, prefix), served.sip, {
    service: '1000',
    timeoutSec: 120,
    // 20 calls, all at once (up to 20 live), placed at 20 per second.
    extra: ['-m', String(CALLS), '-l', String(CALLS), '-r', String(CALLS)],
  });
  const answered = () => readdirSync(markers).map((f) => `${prefix}${f.replace('answered-', '')}`);
  await waitFor(() => answered().length === CALLS, 60_000, `sipp to see ${CALLS} calls answered`);
  // The runtime commits a call's answer just after its 200 OK (the row itself is committed before): a kill in
  // between leaves the row unanswered, and the restart closes it as STATE_FAILED. Kill once they are committed.
  await waitFor(() => answersInStore(db, prefix) === CALLS, 30_000, `the ${CALLS} answers to be committed`);
  served.child.kill('SIGKILL');
  expect(await served.exit).toEqual({ code: null, signal: 'SIGKILL' });
  load.kill();
  await load.done;
  return answered();
}

describe(`ivr serve killed with SIGKILL ${ROUNDS} times during ${ROUNDS * CALLS} calls`, () => {
  it('keeps one call-log row for every answered call; the store opens cleanly; a restart takes calls', async () => {
    const db = join(dir, 'ivr.db');
    const flow = join(dir, 'flow.xml');
    const config = join(dir, 'ivr.config.json');
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

    const answered: string[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      // Callers 55<round>9<n>: every call of every round has its own number.
      const now = await killedRound(config, flow, db, `55${round}9`);
      answered.push(...now);
      const rows = rowsAfterKill(db);
      expect(rows.map((r) => r.caller).sort(), `round ${round}`).toEqual([...answered].sort());
      expect(new Set(rows.map((r) => r.callid)).size).toBe(rows.length);
      for (const r of rows) {
        expect(r.callee).toBe('1000');
        expect(r.callid).toMatch(/^[0-9a-f-]{36}@127\.0\.0\.1$/);
      }
      // This round's calls were cut by the kill; the restart that began the round closed the earlier ones.
      const cut = rows.filter((r) => now.includes(r.caller));
      expect(cut.map((r) => [r.state, r.end_reason])).toEqual(Array(CALLS).fill(['STATE_RECEIVING', null]));
      expect(rows.filter((r) => !now.includes(r.caller)).map((r) => [r.state, r.end_reason])).toEqual(
        Array(answered.length - CALLS).fill(['STATE_RECEIVED', 'interrupted']),
      );
    }
    expect(answered).toHaveLength(ROUNDS * CALLS);

    const last = await serve(config, flow);
    try {
      const call = await runCueSipp(dir, 'uac_hangup_on_cue.xml', last.sip, { service: '1000' });
      await until(
        async () => (await getJson<{ calls: number }>(last.http, '/healthz')).calls === 1,
        15_000,
        'the new call to be taken',
      );
      await call.cue();
      const result = await call.done;
      expect(result.code, result.errors).toBe(0);
      await until(
        async () => (await getJson<{ calls: number }>(last.http, '/healthz')).calls === 0,
        15_000,
        'the new call to end',
      );
      const { calls } = await getJson<{ calls: { caller: string; state: string }[] }>(
        last.http,
        '/api/calls?limit=1000',
      );
      expect(calls).toHaveLength(ROUNDS * CALLS + 1);
      // The restart closed what the last crash left open: every call answered before a kill, ended by it.
      expect(calls.filter((c) => c.caller !== '5551234')).toEqual(
        Array(ROUNDS * CALLS).fill(
          expect.objectContaining({ state: 'STATE_RECEIVED', endReason: 'interrupted' }),
        ),
      );
      expect(calls.filter((c) => c.caller === '5551234')).toEqual([
        expect.objectContaining({ state: 'STATE_RECEIVED', endReason: 'caller-hangup' }),
      ]);
    } finally {
      last.child.kill('SIGTERM');
      await last.exit;
    }
  }, 300_000);
});
