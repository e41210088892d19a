// The traces table: the ordered trace events of each call, stored as JSON text.
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

/** Rows per INSERT: well under every engine's limit on bound parameters (3 per row). */
const BATCH = 500;

export class Traces {
  constructor(private readonly db: Kysely<Database>) {}

  /** Appends events with seq continuing after the call's last stored one (call inside a transaction). */
  async append(callid: string, events: readonly unknown[]): Promise<void> {
    if (events.length === 0) return;
    const row = await this.db
      .selectFrom('traces')
      .select((eb) => eb.fn.max('seq').as('s'))
      .where('callid', '=', callid)
      .executeTakeFirst();
    let seq = row?.s ?? 0;
    const rows = events.map((ev) => ({ callid, seq: ++seq, event: JSON.stringify(ev) }));
    for (let i = 0; i < rows.length; i += BATCH)
      await this.db
        .insertInto('traces')
        .values(rows.slice(i, i + BATCH))
        .execute();
  }

  async list(callid: string): Promise<unknown[]> {
    const rows = await this.db
      .selectFrom('traces')
      .select('event')
      .where('callid', '=', callid)
      .orderBy('seq')
      .execute();
    return rows.map((r) => JSON.parse(r.event) as unknown);
  }

  /** Visits each event of the given calls, one call's events in memory at a time. */
  async forEach(callids: readonly string[], fn: (callid: string, event: unknown) => void): Promise<void> {
    for (const id of callids) for (const ev of await this.list(id)) fn(id, ev);
  }
}
