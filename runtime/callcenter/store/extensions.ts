// The extensions and groups tables: the call center's SIP accounts and the queues they answer.
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';
import { atomically } from './atomic.ts';

export type Permission = 'monitor';
export type RingStrategy = 'ring-all' | 'round-robin' | 'longest-idle';

export interface ExtensionRecord {
  number: string;
  password: string;
  name: string;
  group: string | null;
  permissions: Permission[];
}

export interface GroupRecord {
  number: string;
  name: string;
  strategy: RingStrategy;
  /** Seconds each agent is rung before the next is tried. */
  ringSec: number;
  /** Seconds a caller waits in the queue before the transfer fails (`no-answer`). */
  timeoutSec: number;
  /** Music on hold while queued: a name inside the sound root, or null for the default. */
  holdMusic: string | null;
}

export class Extensions {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<ExtensionRecord[]> {
    const rows = await this.db.selectFrom('extensions').selectAll().orderBy('number').execute();
    return rows.map((r) => ({
      number: r.number,
      password: r.password,
      name: r.name,
      group: r.group_number,
      permissions: r.permissions === '' ? [] : (r.permissions.split(',') as Permission[]),
    }));
  }

  async upsert(e: ExtensionRecord): Promise<void> {
    const row = {
      password: e.password,
      name: e.name,
      group_number: e.group,
      permissions: e.permissions.join(','),
    };
    await this.db
      .insertInto('extensions')
      .values({ number: e.number, ...row })
      .onConflict((oc) => oc.column('number').doUpdateSet(row))
      .execute();
  }

  async delete(number: string): Promise<boolean> {
    const r = await this.db.deleteFrom('extensions').where('number', '=', number).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  async listGroups(): Promise<GroupRecord[]> {
    const rows = await this.db.selectFrom('groups').selectAll().orderBy('number').execute();
    return rows.map((r) => ({
      number: r.number,
      name: r.name,
      strategy: r.strategy as RingStrategy,
      ringSec: r.ring_sec,
      timeoutSec: r.timeout_sec,
      holdMusic: r.hold_music,
    }));
  }

  async upsertGroup(g: GroupRecord): Promise<void> {
    const row = {
      name: g.name,
      strategy: g.strategy,
      ring_sec: g.ringSec,
      timeout_sec: g.timeoutSec,
      hold_music: g.holdMusic,
    };
    await this.db
      .insertInto('groups')
      .values({ number: g.number, ...row })
      .onConflict((oc) => oc.column('number').doUpdateSet(row))
      .execute();
  }

  /** Deletes a group; its members stay, with no group. */
  deleteGroup(number: string): Promise<boolean> {
    return atomically(this.db, async (trx) => {
      await trx
        .updateTable('extensions')
        .set({ group_number: null })
        .where('group_number', '=', number)
        .execute();
      const r = await trx.deleteFrom('groups').where('number', '=', number).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    });
  }
}
