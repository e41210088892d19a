// Turns an uploaded WAV (any rate, channels or encoding sox reads) into the engine's prompt format: 8 kHz mono µ-law.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** RIFF/WAVE header: the one container the manual's uploads come in (section 24). */
export function isWav(body: Uint8Array): boolean {
  const ascii = (from: number, to: number) => Buffer.from(body.subarray(from, to)).toString('latin1');
  return body.length > 44 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE';
}

const sox = (args: string[]) =>
  new Promise<string | undefined>((resolve) => {
    execFile('sox', args, { timeout: 30_000, maxBuffer: 64 * 1024 }, (err, _out, stderr) =>
      resolve(err ? stderr.trim().split('\n').pop() || err.message : undefined),
    );
  });

/** The converted file's bytes, or the reason sox gave for refusing the input. */
export async function toPromptFormat(
  body: Uint8Array,
): Promise<{ ok: true; wav: Buffer } | { ok: false; reason: string }> {
  if (!isWav(body)) return { ok: false, reason: 'not a WAV file (RIFF/WAVE header expected)' };
  const dir = await mkdtemp(join(tmpdir(), 'ivr-tone-'));
  try {
    const input = join(dir, 'in.wav');
    const output = join(dir, 'out.wav');
    await writeFile(input, body);
    const failure = await sox([
      '-t',
      'wav',
      input,
      '-r',
      '8000',
      '-c',
      '1',
      '-e',
      'u-law',
      '-b',
      '8',
      output,
    ]);
    if (failure) return { ok: false, reason: `not audio sox can read: ${failure}` };
    return { ok: true, wav: await readFile(output) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
