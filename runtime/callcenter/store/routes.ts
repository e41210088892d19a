// The routes table: which flow answers a called number.
import type { Db } from './db.ts';

export interface Route {
  number: string;
  flowId: string;
}

export class Routes {
  constructor(private readonly db: Db) {}

  list(): Route[] {
    return this.db.prepare('SELECT number, flow_id AS flowId FROM routes ORDER BY number').all() as Route[];
  }

  flowFor(number: string): string | undefined {
    const row = this.db.prepare('SELECT flow_id AS flowId FROM routes WHERE number = ?').get(number) as
      { flowId: string } | undefined;
    return row?.flowId;
  }

  /** Replaces the whole table (PUT /api/routes). */
  replace(routes: readonly Route[]): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM routes').run();
      const insert = this.db.prepare('INSERT INTO routes (number, flow_id) VALUES (?, ?)');
      for (const r of routes) insert.run(r.number, r.flowId);
    })();
  }

  /** Adds or changes one route (routes from the configuration). */
  upsert(r: Route): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM routes WHERE number = ?').run(r.number);
      this.db.prepare('INSERT INTO routes (number, flow_id) VALUES (?, ?)').run(r.number, r.flowId);
    })();
  }
}
