// The tone files (manual section 24): voice prompts integrators upload, known by id (CAPTCHA calls play them).
import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface ToneFile {
  id: number;
  title: string;
  /** The file's name inside the tones folder. */
  path: string;
  des: string;
  updatedAt: number;
}

export class ToneFiles {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<ToneFile[]> {
    const rows = await this.db.selectFrom('tone_files').selectAll().orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, title: r.title, path: r.path, des: r.des, updatedAt: r.updated_at }));
  }

  async get(id: number): Promise<ToneFile | undefined> {
    const r = await this.db.selectFrom('tone_files').selectAll().where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, title: r.title, path: r.path, des: r.des, updatedAt: r.updated_at };
  }

  async add(t: Omit<ToneFile, 'id'>): Promise<number> {
    const row = await this.db
      .insertInto('tone_files')
      .values({
        id: sql<number>`(SELECT COALESCE(MAX(id), 0) + 1 FROM tone_files)`,
        title: t.title,
        path: t.path,
        des: t.des,
        updated_at: t.updatedAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Changes a tone's title, description and (when given) file; false when the id is unknown. */
  async update(id: number, t: Partial<Omit<ToneFile, 'id'>>): Promise<boolean> {
    const r = await this.db
      .updateTable('tone_files')
      .set({
        ...(t.title !== undefined && { title: t.title }),
        ...(t.des !== undefined && { des: t.des }),
        ...(t.path !== undefined && { path: t.path }),
        ...(t.updatedAt !== undefined && { updated_at: t.updatedAt }),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async remove(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('tone_files').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
