// Moving a call's talking parties between a two-party bridge and a conference of the engine.
import type { ConferenceMode } from '../../media/contract.ts';
import type { Call } from '../calls/call.ts';
import type { Leg } from '../calls/leg.ts';
import type { ControlDeps } from './context.ts';

/** The call's conference, created with every talking party in it (speaking) when it has none yet. */
export async function conferenceOf(d: Pick<ControlDeps, 'engine'>, call: Call) {
  if (call.conference) return call.conference;
  if (!d.engine) throw new Error('no telephony engine');
  const conference = d.engine.conference({ id: call.callId });
  call.conference = conference;
  for (const leg of call.legs)
    if (leg.live && leg.media && leg.status === 'talking' && leg.role !== 'supervisor')
      await conference.join(leg.media, { mode: 'speak' });
  return conference;
}

/** Adds a leg to the call's conference in `mode` (whisper: heard by `to` only). */
export async function joinConference(
  d: Pick<ControlDeps, 'engine'>,
  call: Call,
  leg: Leg,
  mode: ConferenceMode,
  to?: Leg,
): Promise<void> {
  if (!leg.media) return;
  const conference = await conferenceOf(d, call);
  await conference.join(leg.media, to?.media ? { mode, to: to.media } : { mode });
}

/** Connects two legs of the call: in the conference when there is one, else by a direct bridge. */
export async function connect(d: Pick<ControlDeps, 'engine'>, call: Call, a: Leg, b: Leg): Promise<void> {
  if (!a.media || !b.media) return;
  for (const leg of [a, b]) {
    if (leg.status === 'held') {
      await leg.media!.unhold();
      call.setStatus(leg, 'talking');
    }
  }
  if (call.conference) {
    for (const leg of [a, b]) await call.conference.join(leg.media!, { mode: 'speak' });
    return;
  }
  await a.media.bridge(b.media);
}

/** Puts a party on hold music (a file, else the engine's own), out of the bridge or conference it was in. */
export async function holdLeg(call: Call, leg: Leg, music?: string): Promise<void> {
  if (!leg.media || leg.status !== 'talking') return;
  await leg.media.unbridge();
  await leg.media.hold(music === undefined ? undefined : { kind: 'file', path: music });
  call.setStatus(leg, 'held');
}
