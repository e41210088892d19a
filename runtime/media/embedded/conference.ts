// The embedded engine's Conference: the shared membership rules, with every member's RTP session on one mixer.
import type { CallLeg } from '../contract.ts';
import { ConferenceRoster } from '../conference-roster.ts';
import { EmbeddedLeg } from './leg.ts';
import { sharedMediaClock, type MediaClock } from './rtp/clock.ts';
import { Mixer, type MixerPort } from './rtp/mixer.ts';

export class EmbeddedConference extends ConferenceRoster<EmbeddedLeg> {
  private readonly mixer: Mixer;
  private readonly ports = new Map<EmbeddedLeg, MixerPort>();

  constructor(opts: { id?: string; clock?: MediaClock } = {}) {
    super(opts.id);
    this.mixer = new Mixer(opts.clock ?? sharedMediaClock());
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
