// The SQLite store on a real file: migrations, repositories, and a committed call log surviving SIGKILL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openStore } from '../../runtime/callcenter/store/db.ts';
import { migrate, migrations } from '../../runtime/callcenter/store/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'ivr-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('apply once, in order, and record their versions; WAL and foreign keys are on', async () => {
    const file = join(dir, 'm.db');
    const store = await openStore(file);
    const applied = await store.db
      .selectFrom('schema_migrations')
      .select('version')
      .orderBy('version')
      .execute();
    expect(applied).toEqual(migrations.map((m) => ({ version: m.version })));
    expect(await migrate(store.db)).toEqual([]);
    const extra = { version: 99, name: 'test column', statements: ['ALTER TABLE flows ADD COLUMN tag TEXT'] };
    expect(await migrate(store.db, [...migrations, extra])).toEqual([99]);
    expect(await migrate(store.db, [...migrations, extra])).toEqual([]);
    await store.close();
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
    // foreign_keys is per connection: the store's own connection enforces it (see the repositories below).
  });

  it('have unique versions, and apply one a database lacks below its newest (4 and 5 on a database at 1-3, 6, 7)', async () => {
    const versions = migrations.map((m) => m.version).sort((x, y) => x - y);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual(expect.arrayContaining([4, 5]));
    expect(versions[versions.length - 1]).toBeGreaterThan(5);
    const file = join(dir, 'gap.db');
    await (await openStore(file)).close();
    // What main's runtime left: no dialer_tasks nor text_to_calls, migrations 4 and 5 never recorded, 6 and 7 applied.
    const raw = new Database(file);
    raw.exec(
      'DROP TABLE dialer_tasks; DROP TABLE text_to_calls; DELETE FROM schema_migrations WHERE version IN (4, 5)',
    );
    raw.close();
    const store = await openStore(file);
    const recorded = await store.db
      .selectFrom('schema_migrations')
      .select('version')
      .orderBy('version')
      .execute();
    expect(recorded.map((r) => r.version)).toEqual(versions);
    expect(await store.dialerTasks.unfinished()).toEqual([]);
    expect(await store.textToCalls.removeOrphans()).toBe(0);
    await store.close();
  });

  it('roll back a failing migration entirely', async () => {
    const store = await openStore(join(dir, 'bad.db'));
    const bad = {
      version: 50,
      name: 'broken',
      statements: ['CREATE TABLE t (x INTEGER)', 'SELECT * FROM missing_table'],
    };
    await expect(migrate(store.db, [...migrations, bad])).rejects.toThrow(/missing_table/);
    const t = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE name = 't'`.execute(store.db);
    expect(t.rows).toEqual([]);
    const v = await store.db
      .selectFrom('schema_migrations')
      .select((eb) => eb.fn.max('version').as('v'))
      .executeTakeFirst();
    expect(v?.v).toBe(migrations[migrations.length - 1].version);
    await store.close();
  });
});

describe('repositories', () => {
  it('store a call log from start to finish with its trace', async () => {
    const store = await openStore(join(dir, 'r.db'));
    await store.callLogs.insert({
      callid: 'a@h',
      caller: '1',
      callee: '2',
      direction: 'inbound',
      beginTime: 1000,
      state: 'STATE_RECEIVING',
    });
    await store.transaction(async (tx) => {
      await tx.callLogs.finish('a@h', {
        answerTime: 2000,
        endTime: 4600,
        state: 'STATE_RECEIVED',
        result: 'state=1',
        endReason: 'hangup',
      });
      await tx.traces.append('a@h', [{ type: 'x', n: 1 }, { type: 'y' }]);
    });
    await store.traces.append('a@h', [{ type: 'z' }]);
    expect(await store.callLogs.get('a@h')).toMatchObject({
      duration: 3,
      state: 'STATE_RECEIVED',
      answerTime: 2000,
      result: 'state=1',
    });
    expect(await store.traces.list('a@h')).toEqual([{ type: 'x', n: 1 }, { type: 'y' }, { type: 'z' }]);
    await expect(store.traces.append('ghost@h', [{}])).rejects.toThrow(/FOREIGN KEY/);
    await store.close();
  });

  it('roll back a transaction whose work fails part-way', async () => {
    const store = await openStore(join(dir, 't.db'));
    await store.flows.create({ id: 'f', name: 'F', xml: '<a/>', now: 1 });
    await expect(
      store.transaction(async (tx) => {
        await tx.flows.saveDraft('f', { xml: '<changed/>', now: 2 });
        await tx.routes.upsert({ number: '1', flowId: 'missing' });
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(await store.flows.get('f')).toMatchObject({ xml: '<a/>', updatedAt: 1 });
    await store.close();
  });

  it('keep flow versions immutable and numbered, and cascade deletes to versions and routes', async () => {
    const store = await openStore(join(dir, 'f.db'));
    await store.flows.create({ id: 'f', name: 'F', xml: '<a/>', now: 1 });
    expect(await store.flows.addVersion('f', { xml: '<v1/>', now: 2 })).toBe(1);
    await store.flows.saveDraft('f', { xml: '<b/>', now: 3 });
    expect(await store.flows.addVersion('f', { xml: '<v2/>', author: 'x', now: 4 })).toBe(2);
    expect(await store.flows.get('f')).toMatchObject({
      xml: '<b/>',
      name: 'F',
      publishedVersion: 2,
      updatedAt: 3,
      layout: null,
    });
    expect((await store.flows.published('f'))?.xml).toBe('<v2/>');
    await store.routes.replace([{ number: '1', flowId: 'f' }]);
    expect(await store.routes.flowFor('1')).toBe('f');
    await expect(store.routes.replace([{ number: '2', flowId: 'nope' }])).rejects.toThrow(/FOREIGN KEY/);
    expect(await store.routes.list()).toEqual([{ number: '1', flowId: 'f' }]);
    await store.routes.upsert({ number: '1', flowId: 'f' });
    expect(await store.routes.list()).toEqual([{ number: '1', flowId: 'f' }]);
    await store.flows.delete('f');
    expect(await store.flows.versions('f')).toEqual([]);
    expect(await store.routes.list()).toEqual([]);
    await store.close();
  });
});

describe('rows a crash left open', () => {
  it('are closed for this host only: answered ones received, the others failed, both interrupted', async () => {
    const store = await openStore(join(dir, 'open.db'));
    const start = {
      caller: '1',
      callee: '2',
      direction: 'inbound' as const,
      state: 'STATE_RECEIVING' as const,
    };
    await store.callLogs.insert({ ...start, callid: 'a@here', beginTime: 1000 });
    await store.callLogs.markAnswered('a@here', 2000);
    await store.callLogs.insert({ ...start, callid: 'b@here', beginTime: 1000 });
    await store.callLogs.insert({ ...start, callid: 'c@elsewhere', beginTime: 1000 });
    await store.callLogs.insert({ ...start, callid: 'd@xhere', beginTime: 1000 });
    expect(await store.callLogs.closeInterrupted('here')).toBe(2);
    expect(await store.callLogs.get('a@here')).toMatchObject({
      state: 'STATE_RECEIVED',
      endReason: 'interrupted',
      answerTime: 2000,
      endTime: 2000,
      duration: 0,
    });
    expect(await store.callLogs.get('b@here')).toMatchObject({
      state: 'STATE_FAILED',
      endReason: 'interrupted',
    });
    expect(await store.callLogs.get('c@elsewhere')).toMatchObject({
      state: 'STATE_RECEIVING',
      endTime: null,
    });
    expect(await store.callLogs.get('d@xhere')).toMatchObject({ state: 'STATE_RECEIVING' });
    await store.close();
  });
});

describe('crash safety', () => {
  it('keeps the call log row of a call in progress when the process is SIGKILLed', async () => {
    const file = join(dir, 'crash.db');
    const script = resolve(import.meta.dirname, 'fixtures/crash-writer.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const callId = await new Promise<string>((res, rej) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) res(out.trim());
      });
      child.once('exit', (code) => rej(new Error(`child exited early (${code})`)));
    });
    const exited = new Promise((res) => child.once('exit', (_code, signal) => res(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const store = await openStore(file);
    expect(await store.callLogs.get(callId)).toMatchObject({
      callid: callId,
      state: 'STATE_RECEIVING',
      caller: '555',
      flowId: 'f',
    });
    await store.close();
  });
});
