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
  log_id: number | null;
  channel: string | null;
  call_type: string | null;
  record_voice: string | null;
  click_call_id: string | null;
}

export interface CallLegTable {
  callid: string;
  leg_id: string;
  role: string;
  number: string;
  extension: string | null;
  direction: string;
  business_id: string;
  sip_call_id: string | null;
  channel: string | null;
  began_at: number;
  answered_at: number | null;
  ended_at: number | null;
  end_cause: string | null;
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

export interface ExtensionTable {
  number: string;
  password: string;
  name: string;
  group_number: string | null;
  /** Comma-separated permission names (`monitor`). */
  permissions: string;
}

export interface GroupTable {
  number: string;
  name: string;
  strategy: string;
  ring_sec: number;
  timeout_sec: number;
  hold_music: string | null;
}

export interface ContactTable {
  id: number;
  cname: string;
  /** The owning agent client; -1 = a public record. */
  localuser: number;
  gid: number;
  created_at: number;
}

export interface ContactDetailTable {
  contact_id: number;
  /** The detail's title id: 1 mobile, 2 fixed line, 14 QQ (the manual's import template). */
  tid: number;
  cvalue: string;
}

export interface ProductTable {
  id: number;
  name: string;
}

export interface PreorderTable {
  id: number;
  contact_id: number;
  product_id: number;
  telnum: string;
  qq: string;
  comment: string;
  created_at: number;
}

export interface ToneFileTable {
  id: number;
  title: string;
  /** The file's name inside the tones folder of the sound root. */
  path: string;
  des: string;
  updated_at: number;
}

export interface VoicemailTable {
  id: number;
  callid: string;
  caller: string;
  /** The mailbox: the extension a private message is for (also kept for public ones). */
  extnum: string;
  /** 1 public, 0 private. */
  public_mail: number;
  ivr_input: string;
  begin_time: number;
  /** Seconds. */
  duration: number;
  /** The file's name relative to the voicemail root. */
  filepath: string;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  applied_at: number;
}

export interface Database {
  call_logs: CallLogTable;
  call_legs: CallLegTable;
  traces: TraceTable;
  flows: FlowTable;
  flow_versions: FlowVersionTable;
  routes: RouteTable;
  extensions: ExtensionTable;
  groups: GroupTable;
  contacts: ContactTable;
  contact_details: ContactDetailTable;
  products: ProductTable;
  preorders: PreorderTable;
  tone_files: ToneFileTable;
  voicemails: VoicemailTable;
  schema_migrations: SchemaMigrationTable;
}
