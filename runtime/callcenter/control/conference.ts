// CONFERENCE_CREATE and CONFERENCE_JOIN (manual sections 9, 10): a talking call becomes a conference and more
// numbers are invited into it. The conference is known by the numbers of the call it was made from (the manual:
// "normally the caller"; its example uses the agent's number).
import type { Call } from '../calls/call.ts';
import { done, fail, type ControlDeps, type ControlResult } from './context.ts';
import { joinConference } from './mix.ts';
import { cannotTake, codeOf, placeLeg } from './originate.ts';

/** Conferences made with CONFERENCE_CREATE, by their ids (the creating call's caller and callee). */
export class Conferences {
  private readonly byId = new Map<string, { call: Call; ready: boolean }>();

  find(id: string): { call: Call; ready: boolean } | undefined {
    const c = this.byId.get(id);
    if (c && c.call.isOver) {
      this.byId.delete(id);
      return undefined;
    }
    return c;
  }

  /** Whether CONFERENCE_CREATE made (or is making) a conference of this call. */
  has(call: Call): boolean {
    return [...this.byId.values()].some((c) => c.call === call);
  }

  add(ids: string[], call: Call): { call: Call; ready: boolean } {
    const entry = { call, ready: false };
    for (const id of ids) this.byId.set(id, entry);
    void call.ended.then(() => this.remove(entry));
    return entry;
  }

  /** Forgets a conference (its call ended, or its creation failed). */
  remove(entry: { call: Call; ready: boolean }): void {
    for (const [id, e] of this.byId) if (e === entry) this.byId.delete(id);
  }
}

/**
 * Dials `target` into the call's conference (made once it answered: until then the parties stay as they are); 200
 * once it answered and joined, 486 busy (an extension in a call is not rung), 480/404 otherwise.
 */
async function invite(d: ControlDeps, call: Call, target: string, from: string): Promise<ControlResult> {
  const placed = await call.during(() =>
    placeLeg(d, call, {
      role: 'third',
      number: target,
      from,
      timeoutSec: d.ringSec,
      signal: call.abort.signal,
      refused: cannotTake(d, target),
    }),
  );
  if (!placed.media) return fail(codeOf(placed.failure ?? 'failed'), `${target}: ${placed.failure}`);
  try {
    await joinConference(d, call, placed.leg, 'speak');
  } catch (err) {
    await placed.media.hangup('error');
    d.log.error({ err, callId: call.callId }, 'cannot join the conference');
    return fail(503, 'cannot join the conference');
  }
  return done();
}

export async function conferenceCreate(
  d: ControlDeps,
  conferences: Conferences,
  caller: string,
  callee: string,
  target: string,
): Promise<ControlResult> {
  if (!d.engine) return fail(503, 'no telephony engine (SIP is off)');
  const calls = d.registry.between(caller, callee).filter((c) => c.customer?.status === 'talking');
  if (calls.length === 0) return fail(404, `no call between ${caller} and ${callee}`);
  const call = calls[0];
  if (conferences.has(call)) return fail(483, 'the conference exists already');
  const entry = conferences.add([caller, callee], call);
  const result = await invite(d, call, target, callee);
  // A target that did not come leaves no conference: JOIN answers 404, CREATE may be tried again.
  if (result.code === 200) entry.ready = true;
  else conferences.remove(entry);
  return result;
}

export async function conferenceJoin(
  d: ControlDeps,
  conferences: Conferences,
  id: string,
  target: string,
): Promise<ControlResult> {
  const entry = conferences.find(id);
  if (!entry) return fail(404, `no conference ${id}`);
  if (!entry.ready) return fail(480, 'the conference is still being created');
  return invite(d, entry.call, target, id);
}
