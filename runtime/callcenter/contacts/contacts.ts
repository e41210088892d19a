// ContactsSrvlt's import (manual section 19): a batch of customer records, all or nothing, refused whole (483) when
// a phone number is already some contact's or repeats in the batch.
import { z } from 'zod';
import type { Repositories, Store } from '../store/db.ts';
import { PHONE_TIDS } from '../store/contacts.ts';
import { readData, type ImportResult } from './data-param.ts';

const text = (max: number) => z.string().trim().min(1).max(max);
const int = z.number().int().min(-1_000_000_000).max(1_000_000_000);

const detail = z.strictObject({
  tid: z.number().int().min(1).max(1000),
  // Numbers are sent as JSON numbers by some integrators: kept as their text.
  cvalue: z.union([text(256), z.number().transform(String)]),
});

const contact = z.object({
  cname: text(128),
  localuser: int.default(-1),
  gid: int.default(1),
  details: z.array(detail).max(64).default([]),
});

export const contactsData = z.object({ contacts: z.array(contact).min(1).max(1000) });

/** The phone numbers of a batch that repeat in it or already belong to a contact. */
async function duplicatePhones(store: Repositories, phones: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const p of phones) (seen.has(p) ? dup : seen).add(p);
  for (const p of await store.contacts.phonesTaken([...seen])) dup.add(p);
  return [...dup];
}

/** Imports the `data` parameter of ContactsSrvlt. */
export async function importContacts(
  store: Store,
  data: string | undefined,
  now = Date.now(),
): Promise<ImportResult> {
  const read = readData(data, contactsData);
  if (!read.ok) return read.result;
  const contacts = read.value.contacts;
  const phones = contacts.flatMap((c) =>
    c.details.filter((d) => PHONE_TIDS.includes(d.tid)).map((d) => d.cvalue),
  );
  return store.transaction(async (tx) => {
    // Checked inside the transaction: two batches sent at once cannot both add the same number.
    const dup = await duplicatePhones(tx, phones);
    if (dup.length > 0)
      return { code: 483, reason: `duplicate phone number: ${dup.slice(0, 10).join(', ')}` };
    const ids: number[] = [];
    for (const c of contacts) ids.push(await tx.contacts.add(c, now));
    return { code: 200, ids };
  });
}
