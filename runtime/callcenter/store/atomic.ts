// Runs work all or nothing: in a new transaction, or in the caller's when one is already open.
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';

export function atomically<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
