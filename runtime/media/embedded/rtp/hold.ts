// Music on hold of one session: who holds it (the remote phone by re-INVITE, the runtime) and what it hears.
import type { MediaSource } from '../../contract.ts';
import type { G711Law } from '../../audio/g711.ts';
import { generatedHoldMusic } from '../../audio/tone.ts';
import { FrameCursor } from './frames.ts';

/** `remote`: the phone put the call on hold (SDP sendonly/inactive). `runtime`: CallLeg.hold(). */
export type HoldParty = 'remote' | 'runtime';

type Loader = (source: MediaSource) => Promise<Int16Array>;

/**
 * The two holds are independent: the phone taking the call off hold does not end the runtime's hold, and the
 * other way round. Music: the runtime's own choice while it holds, else the default (`defaultMusic`, with the
 * generated tune until the file is loaded, or for good when it cannot be). A chosen source plays silence while
 * it loads and falls back to the generated tune when it fails.
 */
export class HoldMusic {
  private readonly by = new Set<HoldParty>();
  private runtimeMusic: MediaSource | undefined;
  private playing: MediaSource | 'default' | undefined;
  private cursor: FrameCursor | undefined;
  private generation = 0;

  constructor(
    private readonly defaultMusic: MediaSource,
    private readonly load: Loader,
  ) {}

  get active(): boolean {
    return this.by.size > 0;
  }

  has(party: HoldParty): boolean {
    return this.by.has(party);
  }

  set(party: HoldParty, on: boolean, music?: MediaSource): void {
    if (on) this.by.add(party);
    else this.by.delete(party);
    if (party === 'runtime') this.runtimeMusic = on ? music : undefined;
    const wanted = !this.active ? undefined : (this.runtimeMusic ?? 'default');
    if (wanted === this.playing) return;
    this.playing = wanted;
    this.generation++;
    this.cursor = undefined;
    if (wanted === undefined) return;
    if (wanted === 'default') this.cursor = new FrameCursor(generatedHoldMusic(), true);
    this.startLoading(wanted === 'default' ? this.defaultMusic : wanted);
  }

  /** The next frame of music in `law` (undefined while a chosen source loads, or when not on hold). */
  next(law: G711Law): Buffer | undefined {
    return this.cursor?.next(law);
  }

  private startLoading(source: MediaSource): void {
    const generation = this.generation;
    // Through a promise so that a loader throwing synchronously counts as a failed load.
    Promise.resolve(source)
      .then(this.load)
      .then(
        (pcm) => this.loaded(generation, pcm),
        () => this.loaded(generation, undefined),
      );
  }

  private loaded(generation: number, pcm: Int16Array | undefined): void {
    if (generation !== this.generation) return;
    if (pcm && pcm.length > 0) this.cursor = new FrameCursor(pcm, true);
    else this.cursor ??= new FrameCursor(generatedHoldMusic(), true);
  }
}
