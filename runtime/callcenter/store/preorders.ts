// The pre-orders (business opportunities, manual section 20) and the products they are for.
import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface NewPreorder {
  contactId: number;
  productId: number;
  telnum: string;
  qq: string;
  comment: string;
}

export interface Preorder extends NewPreorder {
  id: number;
  product: string;
  createdAt: number;
}

export class Preorders {
  constructor(private readonly db: Kysely<Database>) {}

  /** The product's id, created when it does not exist yet (as the manual says). */
  async productId(name: string): Promise<number> {
    const found = await this.db
      .selectFrom('products')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirst();
    if (found) return found.id;
    const row = await this.db
      .insertInto('products')
      .values({ id: sql<number>`(SELECT COALESCE(MAX(id), 0) + 1 FROM products)`, name })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async add(p: NewPreorder, now: number): Promise<number> {
    const row = await this.db
      .insertInto('preorders')
      .values({
        id: sql<number>`(SELECT COALESCE(MAX(id), 0) + 1 FROM preorders)`,
        contact_id: p.contactId,
        product_id: p.productId,
        telnum: p.telnum,
        qq: p.qq,
        comment: p.comment,
        created_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Whether an opportunity for this number and product exists already (the manual's duplicate). */
  async exists(telnum: string, product: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('preorders')
      .innerJoin('products', 'products.id', 'preorders.product_id')
      .select('preorders.id')
      .where('preorders.telnum', '=', telnum)
      .where('products.name', '=', product)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Every opportunity, oldest first. */
  async list(): Promise<Preorder[]> {
    const rows = await this.db
      .selectFrom('preorders')
      .innerJoin('products', 'products.id', 'preorders.product_id')
      .selectAll('preorders')
      .select('products.name as product')
      .orderBy('preorders.id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      contactId: r.contact_id,
      productId: r.product_id,
      product: r.product,
      telnum: r.telnum,
      qq: r.qq,
      comment: r.comment,
      createdAt: r.created_at,
    }));
  }
}
