// The numbered schema migrations, applied in order once each; SQL kept portable (PostgreSQL can run it too).
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'call logs, traces, flows, flow versions, routes',
    sql: `
      CREATE TABLE call_logs (
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
      );
      CREATE INDEX call_logs_begin_time ON call_logs (begin_time);
      CREATE INDEX call_logs_flow ON call_logs (flow_id, begin_time);
      CREATE TABLE traces (
        callid TEXT NOT NULL REFERENCES call_logs (callid) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        event TEXT NOT NULL,
        PRIMARY KEY (callid, seq)
      );
      CREATE TABLE flows (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        draft_xml TEXT NOT NULL,
        draft_layout TEXT,
        updated_at BIGINT NOT NULL
      );
      CREATE TABLE flow_versions (
        flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        xml TEXT NOT NULL,
        author TEXT,
        note TEXT,
        created_at BIGINT NOT NULL,
        PRIMARY KEY (flow_id, version)
      );
      CREATE TABLE routes (
        number TEXT PRIMARY KEY,
        flow_id TEXT NOT NULL REFERENCES flows (id) ON DELETE CASCADE
      );
    `,
  },
];
