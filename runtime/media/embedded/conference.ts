// The embedded engine's Conference: the shared membership rules, with every member's RTP session on one mixer.
import type { CallLeg } from '../contract.ts';
import { ConferenceRoster } from '../conference-roster.ts';
import { EmbeddedLeg, type ConferencePort } from './leg.ts';
import { sharedMediaClock, type MediaClock } from './rtp/clock.ts';
import { Mixer } from './rtp/mixer.ts';

/** Where the members' audio is mixed: a Mixer on the main thread's clock, or one in the media worker. */
export interface ConferenceMix {
  add(): ConferencePort;
  remove(port: ConferencePort): void;
}

export class EmbeddedConference extends ConferenceRoster<EmbeddedLeg> {
  private readonly mixer: ConferenceMix;
  private readonly ports = new Map<EmbeddedLeg, ConferencePort>();

  constructor(opts: { id?: string; clock?: MediaClock; mix?: ConferenceMix } = {}) {
    super(opts.id);
    this.mixer = opts.mix ?? new Mixer(opts.clock ?? sharedMediaClock());
  }

  protected own(leg: CallLeg): EmbeddedLeg | undefined {
    return leg instanceof EmbeddedLeg ? leg : undefined;
  }

  protected connect(leg: EmbeddedLeg): void {
    const port = this.mixer.add();
    try {
      leg.rtp.attach(port);
    } catch (err) {
      this.mixer.remove(port);
      throw err;
    }
    this.ports.set(leg, port);
  }

  protected disconnect(leg: EmbeddedLeg): void {
    const port = this.ports.get(leg);
    if (!port) return;
    this.ports.delete(leg);
    leg.rtp.attach(undefined);
    this.mixer.remove(port);
  }

  protected rearrange(): void {
    for (const [leg, entry] of this.entries) {
      const port = this.ports.get(leg);
      if (!port) continue;
      port.mode = entry.mode;
      port.to = entry.to ? this.ports.get(entry.to) : undefined;
    }
  }
}
