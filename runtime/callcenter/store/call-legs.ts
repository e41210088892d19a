// The call_legs table: every leg of a call (customer, agents, third parties, supervisors) with its SIP Call-ID.
import type { Kysely, Selectable } from 'kysely';
import type { CallLegTable, Database } from './tables.ts';

export interface CallLegRecord {
  legId: string;
  role: string;
  number: string;
  extension: string | null;
  direction: string;
  businessId: string;
  sipCallId: string | null;
  channel: string | null;
  beganAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  endCause: string | null;
}

const fromRow = (r: Selectable<CallLegTable>): CallLegRecord => ({
  legId: r.leg_id,
  role: r.role,
  number: r.number,
  extension: r.extension,
  direction: r.direction,
  businessId: r.business_id,
  sipCallId: r.sip_call_id,
  channel: r.channel,
  beganAt: r.began_at,
  answeredAt: r.answered_at,
  endedAt: r.ended_at,
  endCause: r.end_cause,
});

export class CallLegs {
  constructor(private readonly db: Kysely<Database>) {}

  /** Writes the final state of a call's legs (call inside the transaction that finishes the call log). */
  async save(callid: string, legs: readonly CallLegRecord[]): Promise<void> {
    if (legs.length === 0) return;
    await this.db.deleteFrom('call_legs').where('callid', '=', callid).execute();
    await this.db
      .insertInto('call_legs')
      .values(
        legs.map((l) => ({
          callid,
          leg_id: l.legId,
          role: l.role,
          number: l.number,
          extension: l.extension,
          direction: l.direction,
          business_id: l.businessId,
          sip_call_id: l.sipCallId,
          channel: l.channel,
          began_at: l.beganAt,
          answered_at: l.answeredAt,
          ended_at: l.endedAt,
          end_cause: l.endCause,
        })),
      )
      .execute();
  }

  async list(callid: string): Promise<CallLegRecord[]> {
    const rows = await this.db
      .selectFrom('call_legs')
      .selectAll()
      .where('callid', '=', callid)
      .orderBy('began_at')
      .execute();
    return rows.map(fromRow);
  }
}
