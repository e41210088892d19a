// SIGKILL in the middle of a campaign: `ivr serve` as a child process dials 24 IVR_TTS_CALL surveys through the
// sipp customers (4 at a time), is killed once some are finished and others are being dialled, and a restart
// on the same store finishes the campaign: no task lost, none finished before the kill dialled again, none whose
// customer answered dialled again.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../runtime/callcenter/store/db.ts';
import { ROOT, tempDir, until } from '../../calls/harness.ts';
import { killServed, serveChild } from '../../cli/serve-child.ts';
import { SURVEY } from './center.ts';
import { startCustomers, type Customers } from './customers.ts';

const TASKS = 24;
const dir = tempDir('ivr-dialer-sigkill-');
let customers: Customers | undefined;

afterAll(async () => {
  killServed();
  await customers?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** `ivr serve --config FILE`, once it printed where it listens. */
async function serve(config: string) {
  const served = serveChild(['--config', config]);
  return { ...served, ...(await served.listening()) };
}

interface Row {
  token: string;
  callee: string;
  state: number;
  answered_at: number | null;
  result: string | null;
  end_reason: string | null;
}

/** The tasks as the store file holds them (read while the runtime may be writing, as WAL allows). */
function tasks(db: string): Row[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite
      .prepare('SELECT token, callee, state, answered_at, result, end_reason FROM dialer_tasks ORDER BY seq')
      .all() as Row[];
  } finally {
    sqlite.close();
  }
}

const finished = (r: Row) => r.state !== 0 && r.state !== 4;

describe('ivr serve killed with SIGKILL during a campaign', () => {
  it('loses no task, and a restart finishes it without dialling a finished or answered task again', async () => {
    customers = await startCustomers({ keys: '8' });
    const db = join(dir, 'ivr.db');
    const config = join(dir, 'ivr.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        http: { host: '127.0.0.1', port: 0 },
        sip: { host: '127.0.0.1', port: 0, trunk: { host: '127.0.0.1', port: customers.port } },
        db,
        sounds: join(ROOT, 'sounds'),
        recordings: join(dir, 'rec'),
        dialer: { trunk: { channels: 4, callsPerSecond: 4 }, ringSec: 10, retry: { maxAttempts: 1 } },
      }),
    );
    const store = await openStore(db);
    await store.flows.create({ id: 'survey', name: 'survey', xml: SURVEY, now: Date.now() });
    await store.flows.addVersion('survey', { xml: SURVEY, now: Date.now() });
    await store.close();

    const first = await serve(config);
    const callees = Array.from({ length: TASKS }, (_, i) => `1390000${String(i).padStart(4, '0')}`);
    for (const [i, callee] of callees.entries()) {
      const r = await fetch(
        `http://127.0.0.1:${first.http}/bridge/callctrl?token=k-${i}&callee=${callee}&toneid=survey&ttsname=n${i}&opt=IVR_TTS_CALL`,
      );
      expect(await r.text()).toBe('200\n');
    }
    // Killed once a few are done while others ring or talk (4 channels, 4 new calls a second).
    await until(async () => tasks(db).filter(finished).length >= 6, 90_000, 'six surveys to finish');
    first.child.kill('SIGKILL');
    expect(await first.exit).toEqual({ code: null, signal: 'SIGKILL' });

    const atKill = tasks(db);
    expect(atKill).toHaveLength(TASKS);
    const doneBefore = atKill.filter(finished);
    const answeredBefore = atKill.filter((r) => r.state === 4 && r.answered_at !== null);
    expect(doneBefore.length).toBeLessThan(TASKS);
    // In the middle: calls were under way when the runtime died.
    expect(atKill.filter((r) => r.state === 4).length).toBeGreaterThan(0);
    const dialledBefore = customers.dialled();

    const second = await serve(config);
    try {
      await until(async () => tasks(db).every(finished), 120_000, 'the campaign to finish');
    } finally {
      second.child.kill('SIGTERM');
      await second.exit;
    }
    const end = tasks(db);
    expect(end.map((r) => r.token)).toEqual(callees.map((_, i) => `k-${i}`));
    // Every customer answered and pressed 8; those cut off after their answer keep state 1 without keys.
    for (const r of end) {
      expect(r.state).toBe(1);
      if (r.end_reason !== 'interrupted-after-answer') expect(r.result).toBe('satisfact=8');
    }
    const dialled = customers.dialled();
    const times = (callee: string) => dialled.filter((n) => n === callee).length;
    for (const r of [...doneBefore, ...answeredBefore]) expect(times(r.callee), r.callee).toBe(1);
    for (const r of end) expect(times(r.callee), r.callee).toBeGreaterThanOrEqual(1);
    // Redialled after the restart: only tasks whose customer had not answered when the runtime died.
    const again = end.filter((r) => times(r.callee) > 1).map((r) => r.callee);
    for (const callee of again) {
      expect(atKill.find((r) => r.callee === callee)).toMatchObject({ state: 4, answered_at: null });
      expect(dialledBefore).toContain(callee);
    }
  }, 240_000);
});
