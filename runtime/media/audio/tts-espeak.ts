// espeak-ng as a TTS synthesizer: spawned with an argument array (never a shell), the text on stdin, WAV on stdout.
import { spawn } from 'node:child_process';
import type { Synthesizer } from './tts.ts';

export interface EspeakSynthesizerOptions {
  /** The executable (default `espeak-ng` from PATH). */
  command?: string;
  timeoutMs?: number;
}

/** espeak-ng speaks Mandarin (`cmn`, which also reads Latin text) and English (`en`, `en-us`…) among others. */
export class EspeakSynthesizer implements Synthesizer {
  readonly id = 'espeak-ng';

  constructor(private readonly opts: EspeakSynthesizerOptions = {}) {}

  render(text: string, voice: string): Promise<Uint8Array> {
    const timeoutMs = this.opts.timeoutMs ?? 15_000;
    return new Promise((resolve, reject) => {
      // `-v` takes the checked voice name; the text is data on stdin, so a leading `-` is never an option.
      const child = spawn(this.opts.command ?? 'espeak-ng', ['-v', voice, '--stdout'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      let err = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`TTS timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => {
        if (err.length < 2000) err += d.toString();
      });
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (code === 0 && out.length > 0) resolve(Buffer.concat(out));
        else reject(new Error(`espeak-ng failed (${code}): ${err.trim()}`));
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(text);
    });
  }
}
