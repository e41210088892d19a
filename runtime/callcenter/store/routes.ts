// The routes table: which flow answers a called number.
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';
import { atomically } from './atomic.ts';

export interface Route {
  number: string;
  flowId: string;
}

export class Routes {
  constructor(
    private readonly db: Kysely<Database>,
    /** Told after every change of the table (the flow registry keeps the routed numbers in memory). */
    private readonly changed: () => Promise<void> = () => Promise.resolve(),
  ) {}

  list(): Promise<Route[]> {
    return this.db.selectFrom('routes').select(['number', 'flow_id as flowId']).orderBy('number').execute();
  }

  async flowFor(number: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('routes')
      .select('flow_id')
      .where('number', '=', number)
      .executeTakeFirst();
    return row?.flow_id;
  }

  /** Replaces the whole table (PUT /api/routes), all or nothing. */
  async replace(routes: readonly Route[]): Promise<void> {
    await atomically(this.db, async (trx) => {
      await trx.deleteFrom('routes').execute();
      if (routes.length > 0)
        await trx
          .insertInto('routes')
          .values(routes.map((r) => ({ number: r.number, flow_id: r.flowId })))
          .execute();
    });
    await this.changed();
  }

  /** Adds or changes one route (routes from the configuration). */
  async upsert(r: Route): Promise<void> {
    await this.db
      .insertInto('routes')
      .values({ number: r.number, flow_id: r.flowId })
      .onConflict((oc) => oc.column('number').doUpdateSet({ flow_id: r.flowId }))
      .execute();
    await this.changed();
  }
}
