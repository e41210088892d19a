// The flows and flow_versions tables: a flow's editable draft and its immutable published versions.
import type { Kysely } from 'kysely';
import type { Database } from './tables.ts';
import { atomically } from './atomic.ts';

export interface FlowSummary {
  id: string;
  name: string;
  updatedAt: number;
  /** The newest version (the one calls run), or null when never published. */
  publishedVersion: number | null;
}

export interface FlowDraft extends FlowSummary {
  xml: string;
  layout: unknown;
}

export interface FlowVersion {
  version: number;
  xml: string;
  author: string | null;
  note: string | null;
  createdAt: number;
}

export class Flows {
  constructor(
    private readonly db: Kysely<Database>,
    /** Told after a delete (its routes go with it). */
    private readonly routesChanged: () => Promise<void> = () => Promise.resolve(),
  ) {}

  private selectFlows() {
    return this.db
      .selectFrom('flows as f')
      .select(['f.id', 'f.name', 'f.draft_xml', 'f.draft_layout', 'f.updated_at'])
      .select((eb) =>
        eb
          .selectFrom('flow_versions as v')
          .select((e) => e.fn.max('v.version').as('m'))
          .whereRef('v.flow_id', '=', 'f.id')
          .as('published'),
      );
  }

  async list(): Promise<FlowSummary[]> {
    const rows = await this.selectFlows().orderBy('f.name').orderBy('f.id').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      updatedAt: r.updated_at,
      publishedVersion: r.published ?? null,
    }));
  }

  async get(id: string): Promise<FlowDraft | undefined> {
    const r = await this.selectFlows().where('f.id', '=', id).executeTakeFirst();
    if (!r) return undefined;
    return {
      id: r.id,
      name: r.name,
      updatedAt: r.updated_at,
      publishedVersion: r.published ?? null,
      xml: r.draft_xml,
      layout: r.draft_layout === null ? null : (JSON.parse(r.draft_layout) as unknown),
    };
  }

  async exists(id: string): Promise<boolean> {
    return (
      (await this.db.selectFrom('flows').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
    );
  }

  async create(f: { id: string; name: string; xml: string; layout?: unknown; now: number }): Promise<void> {
    await this.db
      .insertInto('flows')
      .values({
        id: f.id,
        name: f.name,
        draft_xml: f.xml,
        draft_layout: f.layout === undefined ? null : JSON.stringify(f.layout),
        updated_at: f.now,
      })
      .execute();
  }

  /** Saves the draft; an absent name or layout keeps the stored one. */
  async saveDraft(
    id: string,
    d: { name?: string; xml: string; layout?: unknown; now: number },
  ): Promise<void> {
    await this.db
      .updateTable('flows')
      .set({
        draft_xml: d.xml,
        updated_at: d.now,
        ...(d.name === undefined ? {} : { name: d.name }),
        ...(d.layout === undefined ? {} : { draft_layout: JSON.stringify(d.layout) }),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Deletes the flow with its versions and routes (ON DELETE CASCADE). */
  async delete(id: string): Promise<boolean> {
    const r = await this.db.deleteFrom('flows').where('id', '=', id).executeTakeFirst();
    await this.routesChanged();
    return Number(r.numDeletedRows) > 0;
  }

  /** Adds the next version (published at once: calls run the newest). */
  addVersion(
    id: string,
    v: { xml: string; author?: string | null; note?: string | null; now: number },
  ): Promise<number> {
    return atomically(this.db, async (trx) => {
      const row = await trx
        .selectFrom('flow_versions')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('flow_id', '=', id)
        .executeTakeFirst();
      const version = (row?.v ?? 0) + 1;
      await trx
        .insertInto('flow_versions')
        .values({
          flow_id: id,
          version,
          xml: v.xml,
          author: v.author ?? null,
          note: v.note ?? null,
          created_at: v.now,
        })
        .execute();
      return version;
    });
  }

  versions(id: string): Promise<Omit<FlowVersion, 'xml'>[]> {
    return this.db
      .selectFrom('flow_versions')
      .select(['version', 'author', 'note', 'created_at as createdAt'])
      .where('flow_id', '=', id)
      .orderBy('version', 'desc')
      .execute();
  }

  version(id: string, version: number): Promise<FlowVersion | undefined> {
    return this.db
      .selectFrom('flow_versions')
      .select(['version', 'xml', 'author', 'note', 'created_at as createdAt'])
      .where('flow_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  /** The version calls run: the newest. */
  published(id: string): Promise<FlowVersion | undefined> {
    return this.db
      .selectFrom('flow_versions')
      .select(['version', 'xml', 'author', 'note', 'created_at as createdAt'])
      .where('flow_id', '=', id)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
  }
}
