// Renders sounds/prompts.json to 8 kHz mono µ-law WAVs under sounds/ (`npm run sounds`; `--check` only reports).
//
// Spoken prompts go through espeak-ng then sox; synthesised ones (beep, music on hold) through sox alone.
// sounds/prompts.lock.json keeps a hash of the recipe each file was made from, so a run renders only new or
// changed entries; the WAVs are committed so that running the product needs no TTS engine.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

export const SOUND_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'sounds');

/** The output format of every file; part of each recipe's hash so that changing it re-renders everything. */
const OUTPUT_ARGS = ['-r', '8000', '-c', '1', '-e', 'u-law'];

const relativeWav = z
  .string()
  .regex(/^[a-z0-9_]+(\/[a-z0-9_]+)*\.wav$/, 'a relative path of lower-case names ending in .wav');

const SpokenPrompt = z.object({ path: relativeWav, voice: z.enum(['cmn', 'en']), text: z.string().min(1) });
const SynthesisedPrompt = z.object({
  path: relativeWav,
  description: z.string(),
  sox: z.array(z.string()).min(1),
});
const PromptList = z.object({
  comment: z.string().optional(),
  spoken: z.array(SpokenPrompt),
  synthesised: z.array(SynthesisedPrompt),
});

export type SpokenPrompt = z.infer<typeof SpokenPrompt>;
export type SynthesisedPrompt = z.infer<typeof SynthesisedPrompt>;
export type PromptEntry = SpokenPrompt | SynthesisedPrompt;

/** Reads and checks `<root>/prompts.json`; paths must be unique. */
export function loadPrompts(root = SOUND_ROOT): PromptEntry[] {
  const list = PromptList.parse(JSON.parse(readFileSync(join(root, 'prompts.json'), 'utf8')));
  const entries: PromptEntry[] = [...list.spoken, ...list.synthesised];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.path)) throw new Error(`prompts.json lists ${entry.path} twice`);
    seen.add(entry.path);
  }
  return entries;
}

/** The hash of what a file is made from: its text and voice or its sox arguments, and the output format. */
export function recipeHash(entry: PromptEntry): string {
  const recipe =
    'text' in entry
      ? { tool: 'espeak-ng', voice: entry.voice, text: entry.text }
      : { tool: 'sox', args: entry.sox };
  return createHash('sha256')
    .update(JSON.stringify({ ...recipe, output: OUTPUT_ARGS }))
    .digest('hex');
}

/** `<root>/prompts.lock.json`: path -> recipe hash of the file on disk. */
export function readLock(root = SOUND_ROOT): Record<string, string> {
  const file = join(root, 'prompts.lock.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** Entries whose WAV is missing or was made from another recipe. */
export function staleEntries(root = SOUND_ROOT): PromptEntry[] {
  const lock = readLock(root);
  return loadPrompts(root).filter(
    (entry) => lock[entry.path] !== recipeHash(entry) || !existsSync(join(root, entry.path)),
  );
}

async function render(entry: PromptEntry, root: string, scratch: string): Promise<void> {
  const out = join(root, entry.path);
  mkdirSync(dirname(out), { recursive: true });
  if ('text' in entry) {
    const spoken = join(scratch, 'spoken.wav');
    await run('espeak-ng', ['-v', entry.voice, '-w', spoken, entry.text]);
    await run('sox', [spoken, ...OUTPUT_ARGS, out]);
  } else {
    await run('sox', ['-n', ...OUTPUT_ARGS, out, ...entry.sox]);
  }
}

/** Renders every stale entry and rewrites the lock; returns the paths rendered. */
export async function makeSounds(root = SOUND_ROOT): Promise<string[]> {
  const entries = loadPrompts(root);
  const stale = staleEntries(root);
  const lock = readLock(root);
  const scratch = mkdtempSync(join(tmpdir(), 'make-sounds-'));
  try {
    for (const entry of stale) {
      await render(entry, root, scratch);
      lock[entry.path] = recipeHash(entry);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Entries removed from prompts.json leave the lock too (their WAVs are left for a human to delete).
  const kept = Object.fromEntries(
    entries.map((entry) => [entry.path, lock[entry.path]] as const).sort(([a], [b]) => a.localeCompare(b)),
  );
  writeFileSync(join(root, 'prompts.lock.json'), JSON.stringify(kept, null, 2) + '\n');
  return stale.map((entry) => entry.path);
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--check')) {
    const stale = staleEntries();
    for (const entry of stale) console.log(`stale: ${entry.path}`);
    return stale.length === 0 ? 0 : 1;
  }
  const rendered = await makeSounds();
  console.log(rendered.length === 0 ? 'all sounds are up to date' : `rendered ${rendered.length} file(s):`);
  for (const path of rendered) console.log(`  sounds/${path}`);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
