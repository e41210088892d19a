// The dialer's store and its restart: dialer_tasks on a real SQLite file (migration 4, unique tokens, submission
// order, first outcome stands, purge), and what a starting dialer makes of tasks a crash left `calling`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../../runtime/callcenter/store/db.ts';
import { TaskState } from '../../../runtime/callcenter/store/dialer-tasks.ts';
import { CallCenter } from '../../../runtime/callcenter/call-center.ts';
import { FlowRegistry } from '../../../runtime/callcenter/flow-registry.ts';
import { createLogger } from '../../../runtime/log.ts';

const dir = mkdtempSync(join(tmpdir(), 'ivr-dialer-tasks-'));
let store: Store;

beforeAll(async () => {
  store = await openStore(join(dir, 'tasks.db'));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const job = (n: number) => JSON.stringify({ kind: 'ivr-tts', ivr: '20', vars: { ttsn: String(n) } });
const add = (token: string, n = 1, kind = 'ivr-tts') =>
  store.dialerTasks.insert({
    taskId: `id-${kind}-${token}`,
    kind,
    token,
    callee: `1390000${n}`,
    job: job(n),
    now: 1000 + n,
  });

describe('dialer_tasks', () => {
  it('is created by migration 4', async () => {
    const rows = await store.db.selectFrom('schema_migrations').select(['version', 'name']).execute();
    expect(rows.find((r) => r.version === 4)?.name).toMatch(/dialer/);
  });

  it('refuses a second task with the same token of the same kind, and keeps the first', async () => {
    expect(await add('a', 1)).toBe('inserted');
    expect(await add('a', 2)).toBe('duplicate');
    // The same token names another task in the other kind (a CAPTCHA `id` and an IVR_TTS_CALL `token`).
    expect(await add('a', 3, 'captcha')).toBe('inserted');
    expect((await store.dialerTasks.get('ivr-tts', 'a'))?.callee).toBe('13900001');
    expect(await store.dialerTasks.get('ivr-tts', 'nobody')).toBeUndefined();
  });

  it('lists unfinished tasks in submission order; the first outcome stands; retries stay unfinished', async () => {
    await add('b', 4);
    await add('c', 5);
    const t = store.dialerTasks;
    await t.calling('id-ivr-tts-b', { callid: 'call-b@h', attempts: 1, now: 2000 });
    expect(
      await t.finish('id-ivr-tts-b', { state: TaskState.busy, result: null, endReason: 'busy', now: 3000 }),
    ).toBe(true);
    expect(
      await t.finish('id-ivr-tts-b', {
        state: TaskState.answered,
        result: 'x=1',
        endReason: 'late',
        now: 4000,
      }),
    ).toBe(false);
    await t.requeue('id-ivr-tts-b', { dueAt: 9000, attempts: 1, endReason: 'again', now: 5000 });
    expect(await t.byId('id-ivr-tts-b')).toMatchObject({
      state: 5,
      attempts: 1,
      finishedAt: 3000,
      result: null,
    });
    await t.calling('id-ivr-tts-c', { callid: 'call-c@h', attempts: 1, now: 2000 });
    await t.requeue('id-ivr-tts-c', { dueAt: 9000, attempts: 1, endReason: 'busy', now: 5000 });
    expect(await t.byId('id-ivr-tts-c')).toMatchObject({
      state: 0,
      dueAt: 9000,
      attempts: 1,
      callid: 'call-c@h',
    });
    const open = await t.unfinished();
    expect(open.map((r) => r.token)).toEqual(['a', 'a', 'c']);
    expect(open.map((r) => r.seq)).toEqual([...open.map((r) => r.seq)].sort((x, y) => x - y));
  });

  it('purges finished tasks older than the given time only', async () => {
    expect(await store.dialerTasks.purgeFinished(3000)).toBe(0);
    expect(await store.dialerTasks.purgeFinished(3001)).toBe(1);
    expect(await store.dialerTasks.byId('id-ivr-tts-b')).toBeUndefined();
    expect((await store.dialerTasks.unfinished()).length).toBe(3);
  });
});

describe('a dialer starting on tasks a crash left behind', () => {
  it('finishes an answered one as 1, queues an unanswered one again without counting it, keeps queued ones', async () => {
    const t = store.dialerTasks;
    await add('answered', 6);
    await t.calling('id-ivr-tts-answered', { callid: 'x@h', attempts: 1, now: 2000 });
    await t.answered('id-ivr-tts-answered', 2100);
    await add('ringing', 7);
    await t.calling('id-ivr-tts-ringing', { callid: 'y@h', attempts: 2, now: 2000 });
    await store.dialerTasks.insert({
      taskId: 'id-bad',
      kind: 'ivr-tts',
      token: 'bad',
      callee: '1',
      job: '{"kind":"fax"}',
      now: 1,
    });
    const calls = new CallCenter({
      store,
      log: createLogger('silent'),
      host: 'test.host',
      maxTraceEvents: 100,
      flows: new FlowRegistry(store),
      sounds: { ringback: '/nonexistent/r.wav', notReached: '/nonexistent/n.wav' },
      ringSec: 10,
      hasTrunk: true,
      session: { soundRoot: dir, maxSteps: 200 },
    });
    await calls.load({ extensions: [], groups: [] });
    expect(await t.byId('id-ivr-tts-answered')).toMatchObject({
      state: TaskState.answered,
      endReason: 'interrupted-after-answer',
    });
    expect(await t.byId('id-ivr-tts-ringing')).toMatchObject({
      state: TaskState.queued,
      attempts: 1,
      endReason: 'interrupted',
    });
    expect(await t.byId('id-bad')).toMatchObject({ state: TaskState.failed, endReason: 'unreadable-task' });
    // Queued: a, a (captcha), c, and the ringing one. Nothing dials: no engine is attached and it was not started.
    expect(calls.dialer.queued).toBe(4);
    expect(calls.dialer.calling).toBe(0);
  });
});
