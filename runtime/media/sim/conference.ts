// A conference of simulated legs: every engine's membership rules plus who would hear whom, for tests of
// call-center logic on the virtual clock. It moves no audio, so it proves nothing about mixing.
import type { CallLeg } from '../contract.ts';
import { ConferenceRoster } from '../conference-roster.ts';
import { SimLeg } from './sim-leg.ts';

export class SimConference extends ConferenceRoster<SimLeg> {
  constructor(opts: { id?: string } = {}) {
    super(opts.id);
  }

  protected own(leg: CallLeg): SimLeg | undefined {
    return leg instanceof SimLeg ? leg : undefined;
  }

  protected connect(): void {}

  protected disconnect(): void {}

  protected rearrange(): void {}

  /**
   * The members whose voice reaches `leg`, as a mixer would apply the modes: every speaker but itself, plus the
   * whisperers whose target it is. A member the runtime holds hears only music and is heard by no one.
   */
  hears(leg: CallLeg): CallLeg[] {
    const me = this.own(leg);
    if (!me || !this.entries.has(me) || me.heldByRuntime) return [];
    const heard: CallLeg[] = [];
    for (const [other, entry] of this.entries) {
      if (other === me || other.heldByRuntime) continue;
      if (entry.mode === 'speak' || (entry.mode === 'whisper' && entry.to === me)) heard.push(other);
    }
    return heard;
  }
}
