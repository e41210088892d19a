// PreorderSrvlt's import (manual section 20): business opportunities on existing customers (found by number) or new
// ones, products created on first use; all or nothing, refused whole (483) when one is a duplicate.
import { z } from 'zod';
import type { Repositories, Store } from '../store/db.ts';
import { readData, type ImportResult } from './data-param.ts';

const text = (max: number) => z.string().trim().max(max);
// Letters too: the manual's own example masks digits (`132278411XX`).
const NUMBER = /^[0-9A-Za-z*#+-]{1,32}$/;

const preorder = z.object({
  cname: text(128).default(''),
  telnum: z.string().trim().regex(NUMBER, 'a phone number (digits, letters, *, #, +, -; up to 32)'),
  product: text(128).min(1),
  comment: text(2000).default(''),
  qq: z.union([text(32), z.number().transform(String)]).default(''),
});

export const preordersData = z.object({ preorder: z.array(preorder).min(1).max(1000) });

type NewPreorder = z.infer<typeof preorder>;

/** Mobile numbers (11 digits starting with 1) are title 1, anything else a fixed line (2); QQ is title 14. */
const phoneTid = (n: string) => (/^1\d{10}$/.test(n) ? 1 : 2);
const QQ_TID = 14;

/** The customer a pre-order is for: the contact that has its number, else a new public contact. */
async function customerOf(tx: Repositories, p: NewPreorder, now: number): Promise<number> {
  const found = await tx.contacts.byPhone(p.telnum);
  if (found !== undefined) return found;
  const details = [{ tid: phoneTid(p.telnum), cvalue: p.telnum }];
  if (p.qq) details.push({ tid: QQ_TID, cvalue: p.qq });
  return tx.contacts.add({ cname: p.cname || p.telnum, localuser: -1, gid: 1, details }, now);
}

/** Imports the `data` parameter of PreorderSrvlt. A duplicate is the same number for the same product. */
export async function importPreorders(
  store: Store,
  data: string | undefined,
  now = Date.now(),
): Promise<ImportResult> {
  const read = readData(data, preordersData);
  if (!read.ok) return read.result;
  const list = read.value.preorder;
  return store.transaction(async (tx) => {
    const dup: string[] = [];
    const seen = new Set<string>();
    for (const p of list) {
      const key = JSON.stringify([p.telnum, p.product]);
      if (seen.has(key) || (await tx.preorders.exists(p.telnum, p.product)))
        dup.push(`${p.telnum}/${p.product}`);
      seen.add(key);
    }
    if (dup.length > 0) return { code: 483, reason: `duplicate opportunity: ${dup.slice(0, 10).join(', ')}` };
    const ids: number[] = [];
    for (const p of list) {
      const contactId = await customerOf(tx, p, now);
      const productId = await tx.preorders.productId(p.product);
      ids.push(
        await tx.preorders.add({ contactId, productId, telnum: p.telnum, qq: p.qq, comment: p.comment }, now),
      );
    }
    return { code: 200, ids };
  });
}
