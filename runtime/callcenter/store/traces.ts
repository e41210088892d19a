// The traces table: the ordered trace events of each call, stored as JSON text.
import type { Db } from './db.ts';

export class Traces {
  constructor(private readonly db: Db) {}

  /** Appends events with seq continuing after the call's last stored one (call inside a transaction). */
  append(callid: string, events: readonly unknown[]): void {
    const row = this.db.prepare('SELECT MAX(seq) AS s FROM traces WHERE callid = ?').get(callid) as {
      s: number | null;
    };
    const insert = this.db.prepare('INSERT INTO traces (callid, seq, event) VALUES (?, ?, ?)');
    let seq = row.s ?? 0;
    for (const ev of events) insert.run(callid, ++seq, JSON.stringify(ev));
  }

  list(callid: string): unknown[] {
    const rows = this.db.prepare('SELECT event FROM traces WHERE callid = ? ORDER BY seq').all(callid) as {
      event: string;
    }[];
    return rows.map((r) => JSON.parse(r.event) as unknown);
  }

  /** Visits each event of the given calls without holding them all in memory. */
  forEach(callids: readonly string[], fn: (callid: string, event: unknown) => void): void {
    const stmt = this.db.prepare('SELECT event FROM traces WHERE callid = ? ORDER BY seq');
    for (const id of callids) {
      for (const r of stmt.iterate(id) as IterableIterator<{ event: string }>) fn(id, JSON.parse(r.event));
    }
  }
}
