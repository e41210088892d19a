// The SQLite store on a real file: migrations, repositories, and a committed call log surviving SIGKILL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate, openStore } from '../../runtime/callcenter/store/db.ts';
import { migrations } from '../../runtime/callcenter/store/migrations.ts';

const dir = mkdtempSync(join(tmpdir(), 'ivr-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('apply once, in order, and record their versions; WAL and foreign keys are on', () => {
    const file = join(dir, 'm.db');
    const store = openStore(file);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
    const versions = store.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all();
    expect(versions).toEqual(migrations.map((m) => ({ version: m.version })));
    expect(migrate(store.db)).toEqual([]);
    const extra = { version: 99, name: 'test column', sql: 'ALTER TABLE flows ADD COLUMN tag TEXT' };
    expect(migrate(store.db, [...migrations, extra])).toEqual([99]);
    expect(migrate(store.db, [...migrations, extra])).toEqual([]);
    store.close();
  });

  it('roll back a failing migration entirely', () => {
    const db = new Database(join(dir, 'bad.db'));
    const bad = {
      version: 2,
      name: 'broken',
      sql: 'CREATE TABLE t (x INTEGER); SELECT * FROM missing_table;',
    };
    expect(() => migrate(db, [...migrations, bad])).toThrow(/missing_table/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 't'").get()).toBeUndefined();
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 1 });
    db.close();
  });
});

describe('repositories', () => {
  it('store a call log from start to finish with its trace', () => {
    const store = openStore(join(dir, 'r.db'));
    store.callLogs.insert({
      callid: 'a@h',
      caller: '1',
      callee: '2',
      direction: 'inbound',
      beginTime: 1000,
      state: 'STATE_RECEIVING',
    });
    store.transaction(() => {
      store.callLogs.finish('a@h', {
        answerTime: 2000,
        endTime: 4600,
        state: 'STATE_RECEIVED',
        result: 'state=1',
        endReason: 'hangup',
      });
      store.traces.append('a@h', [{ type: 'x', n: 1 }, { type: 'y' }]);
    });
    store.traces.append('a@h', [{ type: 'z' }]);
    expect(store.callLogs.get('a@h')).toMatchObject({
      duration: 3,
      state: 'STATE_RECEIVED',
      answerTime: 2000,
      result: 'state=1',
    });
    expect(store.traces.list('a@h')).toEqual([{ type: 'x', n: 1 }, { type: 'y' }, { type: 'z' }]);
    expect(() => store.traces.append('ghost@h', [{}])).toThrow(/FOREIGN KEY/);
    store.close();
  });

  it('keep flow versions immutable and numbered, and cascade deletes to versions and routes', () => {
    const store = openStore(join(dir, 'f.db'));
    store.flows.create({ id: 'f', name: 'F', xml: '<a/>', now: 1 });
    expect(store.flows.addVersion('f', { xml: '<v1/>', now: 2 })).toBe(1);
    store.flows.saveDraft('f', { xml: '<b/>', now: 3 });
    expect(store.flows.addVersion('f', { xml: '<v2/>', author: 'x', now: 4 })).toBe(2);
    expect(store.flows.get('f')).toMatchObject({
      xml: '<b/>',
      name: 'F',
      publishedVersion: 2,
      updatedAt: 3,
      layout: null,
    });
    expect(store.flows.published('f')?.xml).toBe('<v2/>');
    store.routes.replace([{ number: '1', flowId: 'f' }]);
    expect(store.routes.flowFor('1')).toBe('f');
    expect(() => store.routes.replace([{ number: '2', flowId: 'nope' }])).toThrow(/FOREIGN KEY/);
    expect(store.routes.list()).toEqual([{ number: '1', flowId: 'f' }]);
    store.flows.delete('f');
    expect(store.flows.versions('f')).toEqual([]);
    expect(store.routes.list()).toEqual([]);
    store.close();
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
    const store = openStore(file);
    expect(store.callLogs.get(callId)).toMatchObject({
      callid: callId,
      state: 'STATE_RECEIVING',
      caller: '555',
      flowId: 'f',
    });
    store.close();
  });
});
