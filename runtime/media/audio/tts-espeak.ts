// espeak-ng as a TTS synthesizer: run with an argument array (never a shell), the text on stdin, WAV on stdout,
// through the spawner's helper process so that no fork of the runtime stalls its event loop.
import { spawner, type Spawner } from './spawner.ts';
import type { Synthesizer } from './tts.ts';

export interface EspeakSynthesizerOptions {
  /** The executable (default `espeak-ng` from PATH). */
  command?: string;
  timeoutMs?: number;
  /** Where programs run (default: the process-wide spawner). */
  spawner?: Spawner;
}

/** Largest WAV accepted from espeak-ng (about 20 minutes of 22 kHz speech). */
const MAX_WAV = 64 * 1024 * 1024;

/** espeak-ng speaks Mandarin (`cmn`, which also reads Latin text) and English (`en`, `en-us`…) among others. */
export class EspeakSynthesizer implements Synthesizer {
  readonly id = 'espeak-ng';

  constructor(private readonly opts: EspeakSynthesizerOptions = {}) {
    // The helper is forked now, while the runtime is small, not on the first prompt of a busy runtime.
    (opts.spawner ?? spawner).start();
  }

  async render(text: string, voice: string): Promise<Uint8Array> {
    const timeoutMs = this.opts.timeoutMs ?? 15_000;
    // `-v` takes the checked voice name; the text is data on stdin, so a leading `-` is never an option.
    const run = (this.opts.spawner ?? spawner).run(
      this.opts.command ?? 'espeak-ng',
      ['-v', voice, '--stdout'],
      {
        input: text,
        timeoutMs,
        maxBytes: MAX_WAV,
      },
    );
    const wav = await run.catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(message.startsWith('timed out') ? `TTS ${message}` : `espeak-ng: ${message}`, {
        cause: err,
      });
    });
    if (wav.length === 0) throw new Error('espeak-ng gave no audio');
    return wav;
  }
}
