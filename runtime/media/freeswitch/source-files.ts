// What FreeSWITCH plays for a MediaSource: files as they are (the media server reads the same path), TTS as WAV
// files the runtime's TTS engine writes into a folder the media server can read.
import { createHash } from 'node:crypto';
import { access, mkdir, rename, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { join } from 'node:path';
import type { MediaSource } from '../contract.ts';
import type { TtsEngine } from '../audio/tts.ts';
import { writeWavPcm16 } from '../audio/wav.ts';

export class SourceFiles {
  constructor(
    private readonly opts: {
      /** Where TTS files are written; FreeSWITCH must read the same path (shared volume). */
      ttsDir: string;
      tts?: TtsEngine;
    },
  ) {}

  /** The path FreeSWITCH plays for `source`; rejects when a file is missing or TTS fails (the player goes on). */
  async pathOf(source: MediaSource): Promise<string> {
    if (source.kind === 'file') {
      // The runtime and the media servers share the sound folders (deploy/README.md); a file missing here is
      // missing there too, and FreeSWITCH would only log it.
      await access(source.path, constants.R_OK);
      return source.path;
    }
    const tts = this.opts.tts;
    if (!tts) throw new Error('no TTS engine configured');
    const key = createHash('sha1')
      .update(source.voice ?? '')
      .update('\0')
      .update(source.text)
      .digest('hex');
    const file = join(this.opts.ttsDir, `${key}.wav`);
    const cached = await access(file, constants.R_OK).then(
      () => true,
      () => false,
    );
    if (cached) return file;
    const pcm = await tts.synthesize(source.text, source.voice);
    await mkdir(this.opts.ttsDir, { recursive: true });
    // Write then rename: FreeSWITCH never opens half a file.
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, writeWavPcm16(pcm));
    await rename(tmp, file);
    return file;
  }
}
