// The contacts table and their details (manual section 19): customer records with their numbers, public or an agent's.
import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface ContactDetail {
  tid: number;
  cvalue: string;
}

export interface NewContact {
  cname: string;
  localuser: number;
  gid: number;
  details: ContactDetail[];
}

export interface Contact extends NewContact {
  id: number;
  createdAt: number;
}

/** Detail titles that hold phone numbers in the manual's template: 1 mobile, 2 fixed line. */
export const PHONE_TIDS = [1, 2];

export class Contacts {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds a contact with its details; returns its id. Run it inside a transaction to keep a batch whole. */
  async add(c: NewContact, now: number): Promise<number> {
    const row = await this.db
      .insertInto('contacts')
      .values({
        id: sql<number>`(SELECT COALESCE(MAX(id), 0) + 1 FROM contacts)`,
        cname: c.cname,
        localuser: c.localuser,
        gid: c.gid,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (c.details.length > 0)
      await this.db
        .insertInto('contact_details')
        .values(c.details.map((d) => ({ contact_id: row.id, tid: d.tid, cvalue: d.cvalue })))
        .execute();
    return row.id;
  }

  /** The contact that has `number` as a phone detail (mobile or fixed line), if any. */
  async byPhone(number: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('contact_details')
      .select('contact_id')
      .where('cvalue', '=', number)
      .where('tid', 'in', PHONE_TIDS)
      .orderBy('contact_id')
      .executeTakeFirst();
    return row?.contact_id;
  }

  /** Which of `numbers` are already some contact's phone number. */
  async phonesTaken(numbers: string[]): Promise<string[]> {
    if (numbers.length === 0) return [];
    const rows = await this.db
      .selectFrom('contact_details')
      .select('cvalue')
      .distinct()
      .where('cvalue', 'in', numbers)
      .where('tid', 'in', PHONE_TIDS)
      .execute();
    return rows.map((r) => r.cvalue);
  }

  async get(id: number): Promise<Contact | undefined> {
    const row = await this.db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const details = await this.db
      .selectFrom('contact_details')
      .select(['tid', 'cvalue'])
      .where('contact_id', '=', id)
      .execute();
    return {
      id: row.id,
      cname: row.cname,
      localuser: row.localuser,
      gid: row.gid,
      createdAt: row.created_at,
      details,
    };
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('contacts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
