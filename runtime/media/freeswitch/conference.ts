// The FreeSWITCH engine's Conference: the shared membership rules, with every member in one mod_conference
// conference on their media server; listen is mute, whisper is "relate … nohear" for everyone but the target, and
// a held member is muted, deafened and hears music.
import { createHash } from 'node:crypto';
import type { CallLeg } from '../contract.ts';
import { ConferenceRoster } from '../conference-roster.ts';
import type { ConferenceJoin } from '../contract.ts';
import { FreeswitchError } from './errors.ts';
import { looped } from './hold.ts';
import { FreeswitchLeg } from './leg.ts';

export class FreeswitchConference extends ConferenceRoster<FreeswitchLeg> {
  /** The name FreeSWITCH knows it by (its own `id` when that is a safe name, a digest of it otherwise). */
  readonly name: string;
  private readonly memberIds = new Map<FreeswitchLeg, number>();
  /** `a>b`: a does not hear b. */
  private relations = new Set<string>();
  /** FreeSWITCH commands run one after another, in the order the roster asked for them. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    opts: { id?: string },
    private readonly profile: string,
    private readonly log: { warn(obj: object, msg: string): void },
  ) {
    super(opts.id);
    this.name = /^[A-Za-z0-9_-]{1,64}$/.test(this.id)
      ? `sw-${this.id}`
      : `sw-${createHash('sha1').update(this.id).digest('hex').slice(0, 16)}`;
  }

  override async join(leg: CallLeg, opts: ConferenceJoin): Promise<void> {
    await super.join(leg, opts);
    await this.queue;
  }

  override async setMode(leg: CallLeg, opts: ConferenceJoin): Promise<void> {
    await super.setMode(leg, opts);
    await this.queue;
  }

  override async leave(leg: CallLeg): Promise<void> {
    await super.leave(leg);
    await this.queue;
  }

  protected own(leg: CallLeg): FreeswitchLeg | undefined {
    return leg instanceof FreeswitchLeg ? leg : undefined;
  }

  private run(step: () => Promise<void>): void {
    this.queue = this.queue.then(step).catch((err: unknown) => {
      this.log.warn({ err, conference: this.name }, 'conference command failed');
    });
  }

  protected connect(leg: FreeswitchLeg): void {
    if (!leg.hasMedia) throw new Error(`leg ${leg.id} has no media`);
    const others = [...this.entries.keys()].filter((l) => l !== leg && l.hasMedia);
    if (others.length > 0 && others[0].endpoint.mediaserver !== leg.endpoint.mediaserver) {
      throw new FreeswitchError('E_OTHER_MEDIA_SERVER', 'conference members must share a media server');
    }
    this.run(async () => {
      if (!leg.hasMedia) return;
      const { memberId } = await leg.endpoint.join(this.name, { profile: this.profile });
      this.memberIds.set(leg, memberId);
    });
  }

  protected disconnect(leg: FreeswitchLeg): void {
    this.run(async () => {
      const id = this.memberIds.get(leg);
      this.memberIds.delete(leg);
      for (const r of [...this.relations]) if (r.split('>').includes(String(id))) this.relations.delete(r);
      if (leg.hasMedia) await leg.park();
    });
  }

  protected rearrange(): void {
    this.run(() => this.apply());
  }

  /** Mute, deaf and relations as the roster says. */
  private async apply(): Promise<void> {
    const wanted = new Set<string>();
    for (const [leg, entry] of this.entries) {
      const id = this.memberIds.get(leg);
      if (id === undefined || !leg.hasMedia) continue;
      const held = leg.hold_ !== undefined;
      await this.api(leg, `${held || entry.mode === 'listen' ? 'mute' : 'unmute'} ${id}`);
      await this.api(leg, `${held ? 'deaf' : 'undeaf'} ${id}`);
      if (entry.mode !== 'whisper') continue;
      for (const other of this.entries.keys()) {
        const otherId = this.memberIds.get(other);
        if (other !== leg && other !== entry.to && otherId !== undefined) wanted.add(`${otherId}>${id}`);
      }
    }
    const anyLeg = [...this.entries.keys()].find((l) => l.hasMedia);
    if (!anyLeg) return;
    for (const r of this.relations) if (!wanted.has(r)) await this.relate(anyLeg, r, 'clear');
    for (const r of wanted) if (!this.relations.has(r)) await this.relate(anyLeg, r, 'nohear');
    this.relations = wanted;
  }

  private async relate(leg: FreeswitchLeg, relation: string, how: 'nohear' | 'clear'): Promise<void> {
    const [a, b] = relation.split('>');
    await this.api(leg, `relate ${a} ${b} ${how}`);
  }

  private async api(leg: FreeswitchLeg, command: string): Promise<void> {
    await leg.api(`conference ${this.name} ${command}`);
  }

  /** Holds a member (music: the file it hears) or takes it off hold (undefined). */
  async holdMember(leg: FreeswitchLeg, music: string | undefined): Promise<void> {
    this.run(async () => {
      const id = this.memberIds.get(leg);
      if (id === undefined || !leg.hasMedia) return;
      await this.api(leg, `stop all ${id}`).catch(() => undefined);
      if (music) await this.api(leg, `play ${looped(music)} ${id}`);
    });
    this.rearrange();
    await this.queue;
  }
}
