// The store's tables as Kysely sees them: one interface per table, column names as in SQL (portable types only).
import type { Generated } from 'kysely';

export interface CallLogTable {
  callid: string;
  caller: string;
  callee: string;
  direction: string;
  begin_time: number;
  answer_time: number | null;
  end_time: number | null;
  duration: Generated<number>;
  state: string;
  result: string | null;
  end_reason: string | null;
  flow_id: string | null;
  flow_version: number | null;
}

export interface TraceTable {
  callid: string;
  seq: number;
  event: string;
}

export interface FlowTable {
  id: string;
  name: string;
  draft_xml: string;
  draft_layout: string | null;
  updated_at: number;
}

export interface FlowVersionTable {
  flow_id: string;
  version: number;
  xml: string;
  author: string | null;
  note: string | null;
  created_at: number;
}

export interface RouteTable {
  number: string;
  flow_id: string;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Database {
  call_logs: CallLogTable;
  traces: TraceTable;
  flows: FlowTable;
  flow_versions: FlowVersionTable;
  routes: RouteTable;
  schema_migrations: SchemaMigrationTable;
}
