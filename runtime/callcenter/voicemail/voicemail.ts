// Voicemail (manual section 27, the dialect's `<tns:record>`): messages kept in their own root with a store row
// each (caller, mailbox, public or private, the IVR input before it), listed, read and deleted by the interfaces.
import { rm } from 'node:fs/promises';
import type { RecordingInfo } from '../../interpreter/context.ts';
import type { ConfinedRoot, FoundFile } from '../../files/confined-root.ts';
import type { Logger } from '../../log.ts';
import type { Call } from '../calls/call.ts';
import type { Store } from '../store/db.ts';
import type { Voicemail } from '../store/voicemails.ts';

export type { Voicemail } from '../store/voicemails.ts';

/** Largest page one query returns. */
export const MAX_MAILS = 10_000;

/**
 * The mailbox a message is for: the extension the call was last offered to (a `<tns:transfer>` to an agent that
 * did not answer is how a flow reaches voicemail), else the number the caller dialled.
 */
export function mailboxOf(call: Call): string {
  // Every agent leg, ended ones included: the one that did not answer is the point.
  const agents = call.legs.filter((l) => l.role === 'agent');
  return agents.at(-1)?.number ?? call.callee;
}

export class VoiceMail {
  constructor(
    private readonly store: Store,
    /** The voicemail root: `<tns:record>` writes here, and only files inside it are read or deleted. */
    readonly root: ConfinedRoot,
    private readonly log: Logger,
  ) {}

  /** Keeps a message `<tns:record>` made on `call`; a failure is logged, never thrown into the call. */
  async keep(call: Call, rec: RecordingInfo, now = Date.now()): Promise<void> {
    const filepath = this.root.nameOf(rec.path);
    if (!filepath || rec.durationMs <= 0) {
      this.log.warn(
        { callId: call.callId, path: rec.path },
        'voicemail not kept (outside the root or empty)',
      );
      return;
    }
    try {
      const id = await this.store.voicemails.add({
        callid: call.callId,
        caller: call.caller,
        extnum: mailboxOf(call),
        publicMail: rec.public,
        ivrInput: rec.ivrInput,
        beginTime: now - rec.durationMs,
        duration: Math.round(rec.durationMs / 1000),
        filepath,
      });
      this.log.info({ callId: call.callId, id, public: rec.public }, 'voicemail kept');
    } catch (err) {
      this.log.error({ err, callId: call.callId }, 'cannot keep a voicemail');
    }
  }

  /** getMailsIncludePub: the mailbox's private messages and every public one, in [begin, end], newest first. */
  includingPublic(q: {
    extnum?: string;
    begin?: number;
    end?: number;
    first: number;
    max: number;
  }): Promise<Voicemail[]> {
    return this.store.voicemails.query({
      extnum: q.extnum || undefined,
      includePublic: true,
      from: q.begin,
      to: q.end === undefined ? undefined : q.end + 1,
      offset: q.first,
      limit: Math.min(q.max, MAX_MAILS),
    });
  }

  /** getMails: the mailbox's private messages, newest first. */
  privateOf(extnum: string): Promise<Voicemail[]> {
    return this.store.voicemails.query({ extnum, includePublic: false, offset: 0, limit: MAX_MAILS });
  }

  /** The message file a `filepath` names (absolute, as the queries give it, or relative to the root). */
  async file(filepath: string): Promise<FoundFile | undefined> {
    const found = await this.root.open(filepath);
    return found && (await this.store.voicemails.byFile(found.name)) ? found : undefined;
  }

  /** The absolute path the queries hand out for a message. */
  pathOf(v: Voicemail): string {
    return this.root.pathOf(v.filepath) ?? v.filepath;
  }

  /** deleteWithId: the row and its file; false for an unknown id. */
  async remove(id: number): Promise<boolean> {
    const v = await this.store.voicemails.get(id);
    if (!v || !(await this.store.voicemails.remove(id))) return false;
    const found = await this.root.open(v.filepath);
    if (found) await rm(found.file, { force: true });
    return true;
  }
}
