// Voicemail messages (manual section 27): who left them, for which mailbox, public or private, and the file.
import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.ts';

export interface Voicemail {
  id: number;
  callid: string;
  caller: string;
  /** The mailbox (extension) the message was left for. */
  extnum: string;
  publicMail: boolean;
  /** The IVR input collected before the message. */
  ivrInput: string;
  /** Epoch ms the message started. */
  beginTime: number;
  /** Seconds. */
  duration: number;
  /** Name relative to the voicemail root. */
  filepath: string;
}

export interface VoicemailQuery {
  /** Private messages of this mailbox (and every public one with `includePublic`); absent: public ones only. */
  extnum?: string;
  includePublic: boolean;
  from?: number;
  to?: number;
  offset?: number;
  limit?: number;
}

type Row = Database['voicemails'];

const toVoicemail = (r: Row): Voicemail => ({
  id: r.id,
  callid: r.callid,
  caller: r.caller,
  extnum: r.extnum,
  publicMail: r.public_mail === 1,
  ivrInput: r.ivr_input,
  beginTime: r.begin_time,
  duration: r.duration,
  filepath: r.filepath,
});

export class Voicemails {
  constructor(private readonly db: Kysely<Database>) {}

  async add(v: Omit<Voicemail, 'id'>): Promise<number> {
    const row = await this.db
      .insertInto('voicemails')
      .values({
        id: sql<number>`(SELECT COALESCE(MAX(id), 0) + 1 FROM voicemails)`,
        callid: v.callid,
        caller: v.caller,
        extnum: v.extnum,
        public_mail: v.publicMail ? 1 : 0,
        ivr_input: v.ivrInput,
        begin_time: v.beginTime,
        duration: v.duration,
        filepath: v.filepath,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async get(id: number): Promise<Voicemail | undefined> {
    const r = await this.db.selectFrom('voicemails').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toVoicemail(r);
  }

  async byFile(filepath: string): Promise<Voicemail | undefined> {
    const r = await this.db
      .selectFrom('voicemails')
      .selectAll()
      .where('filepath', '=', filepath)
      .executeTakeFirst();
    return r && toVoicemail(r);
  }

  /** Messages, newest first. */
  async query(q: VoicemailQuery): Promise<Voicemail[]> {
    let s = this.db.selectFrom('voicemails').selectAll();
    const { extnum } = q;
    // With a mailbox: its private messages (and every public one); without: the public ones only.
    if (extnum === undefined) s = s.where('public_mail', '=', 1);
    else
      s = s.where((eb) =>
        q.includePublic
          ? eb.or([eb.and([eb('extnum', '=', extnum), eb('public_mail', '=', 0)]), eb('public_mail', '=', 1)])
          : eb.and([eb('extnum', '=', extnum), eb('public_mail', '=', 0)]),
      );
    if (q.from !== undefined) s = s.where('begin_time', '>=', q.from);
    if (q.to !== undefined) s = s.where('begin_time', '<', q.to);
    s = s.orderBy('begin_time', 'desc').orderBy('id', 'desc');
    if (q.limit !== undefined) s = s.limit(q.limit).offset(q.offset ?? 0);
    return (await s.execute()).map(toVoicemail);
  }

  async remove(id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('voicemails').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
