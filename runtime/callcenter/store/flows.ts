// The flows and flow_versions tables: a flow's editable draft and its immutable published versions.
import type { Db } from './db.ts';

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

interface FlowRow {
  id: string;
  name: string;
  draft_xml: string;
  draft_layout: string | null;
  updated_at: number;
  published: number | null;
}

const SELECT_FLOW = `SELECT f.id, f.name, f.draft_xml, f.draft_layout, f.updated_at,
  (SELECT MAX(v.version) FROM flow_versions v WHERE v.flow_id = f.id) AS published FROM flows f`;

export class Flows {
  constructor(private readonly db: Db) {}

  list(): FlowSummary[] {
    const rows = this.db.prepare(`${SELECT_FLOW} ORDER BY f.name, f.id`).all() as FlowRow[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      updatedAt: r.updated_at,
      publishedVersion: r.published,
    }));
  }

  get(id: string): FlowDraft | undefined {
    const r = this.db.prepare(`${SELECT_FLOW} WHERE f.id = ?`).get(id) as FlowRow | undefined;
    if (!r) return undefined;
    return {
      id: r.id,
      name: r.name,
      updatedAt: r.updated_at,
      publishedVersion: r.published,
      xml: r.draft_xml,
      layout: r.draft_layout === null ? null : (JSON.parse(r.draft_layout) as unknown),
    };
  }

  exists(id: string): boolean {
    return this.db.prepare('SELECT 1 FROM flows WHERE id = ?').get(id) !== undefined;
  }

  create(f: { id: string; name: string; xml: string; layout?: unknown; now: number }): void {
    this.db
      .prepare('INSERT INTO flows (id, name, draft_xml, draft_layout, updated_at) VALUES (?, ?, ?, ?, ?)')
      .run(f.id, f.name, f.xml, f.layout === undefined ? null : JSON.stringify(f.layout), f.now);
  }

  /** Saves the draft; an absent name or layout keeps the stored one. */
  saveDraft(id: string, d: { name?: string; xml: string; layout?: unknown; now: number }): void {
    this.db
      .prepare(
        `UPDATE flows SET name = COALESCE(?, name), draft_xml = ?,
           draft_layout = CASE WHEN ? = 1 THEN ? ELSE draft_layout END, updated_at = ? WHERE id = ?`,
      )
      .run(
        d.name ?? null,
        d.xml,
        d.layout === undefined ? 0 : 1,
        d.layout === undefined ? null : JSON.stringify(d.layout),
        d.now,
        id,
      );
  }

  delete(id: string): boolean {
    return this.db.prepare('DELETE FROM flows WHERE id = ?').run(id).changes > 0;
  }

  /** Adds the next version (published at once: calls run the newest). */
  addVersion(
    id: string,
    v: { xml: string; author?: string | null; note?: string | null; now: number },
  ): number {
    return this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT MAX(version) AS v FROM flow_versions WHERE flow_id = ?')
        .get(id) as {
        v: number | null;
      };
      const version = (row.v ?? 0) + 1;
      this.db
        .prepare(
          'INSERT INTO flow_versions (flow_id, version, xml, author, note, created_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(id, version, v.xml, v.author ?? null, v.note ?? null, v.now);
      return version;
    })();
  }

  versions(id: string): Omit<FlowVersion, 'xml'>[] {
    const rows = this.db
      .prepare(
        `SELECT version, author, note, created_at AS createdAt FROM flow_versions WHERE flow_id = ?
         ORDER BY version DESC`,
      )
      .all(id) as Omit<FlowVersion, 'xml'>[];
    return rows;
  }

  version(id: string, version: number): FlowVersion | undefined {
    return this.db
      .prepare(
        `SELECT version, xml, author, note, created_at AS createdAt FROM flow_versions
         WHERE flow_id = ? AND version = ?`,
      )
      .get(id, version) as FlowVersion | undefined;
  }

  /** The version calls run: the newest. */
  published(id: string): FlowVersion | undefined {
    return this.db
      .prepare(
        `SELECT version, xml, author, note, created_at AS createdAt FROM flow_versions
         WHERE flow_id = ? ORDER BY version DESC LIMIT 1`,
      )
      .get(id) as FlowVersion | undefined;
  }
}
