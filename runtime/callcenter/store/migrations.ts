// The numbered schema migrations, applied in order once each, each in one transaction. Statements are portable SQL
// (SQLite and PostgreSQL both run them): TEXT, INTEGER, BIGINT, no engine-specific types or functions.
import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface Migration {
  version: number;
  name: string;
  /** One statement per entry (drivers run one statement at a time). */
  statements: string[];
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'call logs, traces, flows, flow versions, routes',
    statements: [
      `CREATE TABLE call_logs (
        callid TEXT PRIMARY KEY,
        caller TEXT NOT NULL,
        callee TEXT NOT NULL,
        direction TEXT NOT NULL,
        begin_time BIGINT NOT NULL,
        answer_time BIGINT,
        end_time BIGINT,
        duration INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL,
        result TEXT,
        end_reason TEXT,
        flow_id TEXT,
        flow_version INTEGER
      )`,
      `CREATE INDEX call_logs_begin_time ON call_logs (begin_time)`,
      `CREATE INDEX call_logs_flow ON call_logs (flow_id, begin_time)`,
      `CREATE TABLE traces (
        callid TEXT NOT NULL REFERENCES call_logs (callid) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        event TEXT NOT NULL,
        PRIMARY KEY (callid, seq)
      )`,
      `CREATE TABLE flows (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        draft_xml TEXT NOT NULL,
        draft_layout TEXT,
        updated_at BIGINT NOT NULL
      )`,
      `CREATE TABLE flow_versions (
        flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        xml TEXT NOT NULL,
        author TEXT,
        note TEXT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (flow_id, version)
      )`,
      `CREATE TABLE routes (
        number TEXT PRIMARY KEY,
        flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE
      )`,
    ],
  },
  {
    version: 2,
    name: "call-center call logs: the manual's fields and every leg with its SIP Call-ID",
    statements: [
      // The manual's numeric call-log id (section 21), assigned in insertion order by the repository.
      `ALTER TABLE call_logs ADD COLUMN log_id BIGINT`,
      `CREATE UNIQUE INDEX call_logs_log_id ON call_logs (log_id)`,
      `ALTER TABLE call_logs ADD COLUMN channel TEXT`,
      `ALTER TABLE call_logs ADD COLUMN call_type TEXT`,
      `ALTER TABLE call_logs ADD COLUMN record_voice TEXT`,
      `ALTER TABLE call_logs ADD COLUMN click_call_id TEXT`,
      `CREATE INDEX call_logs_caller ON call_logs (caller, begin_time)`,
      `CREATE INDEX call_logs_callee ON call_logs (callee, begin_time)`,
      `CREATE TABLE call_legs (
        callid TEXT NOT NULL REFERENCES call_logs (callid) ON DELETE CASCADE,
        leg_id TEXT NOT NULL,
        role TEXT NOT NULL,
        number TEXT NOT NULL,
        extension TEXT,
        direction TEXT NOT NULL,
        business_id TEXT NOT NULL,
        sip_call_id TEXT,
        channel TEXT,
        began_at BIGINT NOT NULL,
        answered_at BIGINT,
        ended_at BIGINT,
        end_cause TEXT,
        PRIMARY KEY (callid, leg_id)
      )`,
      `CREATE INDEX call_legs_number ON call_legs (number)`,
      `CREATE INDEX call_legs_sip_call_id ON call_legs (sip_call_id)`,
    ],
  },
  {
    version: 3,
    name: 'extensions and groups',
    statements: [
      `CREATE TABLE groups (
        number TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        strategy TEXT NOT NULL,
        ring_sec INTEGER NOT NULL,
        timeout_sec INTEGER NOT NULL,
        hold_music TEXT
      )`,
      `CREATE TABLE extensions (
        number TEXT PRIMARY KEY,
        password TEXT NOT NULL,
        name TEXT NOT NULL,
        group_number TEXT,
        permissions TEXT NOT NULL
      )`,
    ],
  },
  {
    version: 6,
    name: 'contacts, pre-orders, products and tone files (manual sections 19, 20, 24)',
    statements: [
      // Ids are the manual's integers, taken as MAX + 1 in the insert itself (one writer in SQLite).
      `CREATE TABLE contacts (
        id BIGINT PRIMARY KEY,
        cname TEXT NOT NULL,
        localuser INTEGER NOT NULL,
        gid INTEGER NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE TABLE contact_details (
        contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        tid INTEGER NOT NULL,
        cvalue TEXT NOT NULL
      )`,
      `CREATE INDEX contact_details_contact ON contact_details (contact_id)`,
      `CREATE INDEX contact_details_value ON contact_details (cvalue, tid)`,
      `CREATE TABLE products (
        id BIGINT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE
      )`,
      `CREATE TABLE preorders (
        id BIGINT PRIMARY KEY,
        contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        product_id BIGINT NOT NULL REFERENCES products (id),
        telnum TEXT NOT NULL,
        qq TEXT NOT NULL,
        comment TEXT NOT NULL,
        created_at BIGINT NOT NULL
      )`,
      `CREATE UNIQUE INDEX preorders_telnum_product ON preorders (telnum, product_id)`,
      `CREATE TABLE tone_files (
        id BIGINT PRIMARY KEY,
        title TEXT NOT NULL,
        path TEXT NOT NULL,
        des TEXT NOT NULL,
        updated_at BIGINT NOT NULL
      )`,
    ],
  },
  {
    version: 7,
    name: 'voicemail messages (manual section 27)',
    statements: [
      `CREATE TABLE voicemails (
        id BIGINT PRIMARY KEY,
        callid TEXT NOT NULL,
        caller TEXT NOT NULL,
        extnum TEXT NOT NULL,
        public_mail INTEGER NOT NULL,
        ivr_input TEXT NOT NULL,
        begin_time BIGINT NOT NULL,
        duration INTEGER NOT NULL,
        filepath TEXT NOT NULL
      )`,
      `CREATE INDEX voicemails_extnum ON voicemails (extnum, begin_time)`,
      `CREATE INDEX voicemails_begin_time ON voicemails (begin_time)`,
    ],
  },
];

/**
 * Applies every migration not recorded yet, in version order, each in its own transaction; returns those applied.
 * Versions are checked one by one (not "newer than the newest"), so a migration merged after a higher-numbered one
 * still runs.
 */
export async function migrate(db: Kysely<Database>, list: Migration[] = migrations): Promise<number[]> {
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`.execute(db);
  const done = new Set(
    (await db.selectFrom('schema_migrations').select('version').execute()).map((r) => r.version),
  );
  const applied: number[] = [];
  for (const m of [...list].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    await db.transaction().execute(async (trx) => {
      for (const statement of m.statements) await sql.raw(statement).execute(trx);
      await trx
        .insertInto('schema_migrations')
        .values({ version: m.version, name: m.name, applied_at: Date.now() })
        .execute();
    });
    applied.push(m.version);
  }
  return applied;
}
