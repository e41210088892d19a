// The committed sounds: every audio an example plays exists as 8 kHz mono µ-law WAV, matches prompts.json,
// and the whole folder stays small.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from '../../schema/parse.ts';
import { ConfinedRoot } from '../../runtime/files/confined-root.ts';
import { soundFile } from '../../runtime/files/sound-source.ts';
import { loadPrompts, staleEntries } from '../../scripts/make-sounds.ts';
import { EXAMPLES_DIR, SOUND_ROOT, exampleNames, itemsOf } from './flows.ts';
import { TELEPHONE_ULAW, readWav } from './wav.ts';

const BYTES_PER_SECOND = 8000;

function wavFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return wavFiles(path);
    return entry.name.endsWith('.wav') ? [relative(SOUND_ROOT, path)] : [];
  });
}

const audioSources = [
  ...new Set(
    exampleNames().flatMap((name) =>
      itemsOf(parse(readFileSync(join(EXAMPLES_DIR, name, 'flow.xml'), 'utf8')), 'audio').map((a) => a.src),
    ),
  ),
].sort();

describe('audio of the examples', () => {
  it('all lives under [FILE_PATH]/', () => {
    expect(audioSources.length).toBeGreaterThan(30);
    expect(audioSources.filter((src) => !src.startsWith('[FILE_PATH]/'))).toEqual([]);
  });

  it.each(audioSources)('%s is an 8 kHz mono µ-law WAV under sounds/', (src) => {
    const path = soundFile(new ConfinedRoot(SOUND_ROOT), src);
    expect(path).toBeDefined();
    const wav = readWav(readFileSync(path as string));
    expect(wav).toMatchObject(TELEPHONE_ULAW);
    expect(wav.dataBytes / BYTES_PER_SECOND).toBeGreaterThan(0.5);
    expect(wav.dataBytes / BYTES_PER_SECOND).toBeLessThan(20);
  });

  it('keeps the manual paths of the food-ordering example', () => {
    expect(audioSources).toContain('[FILE_PATH]/delicious/menu.wav');
    expect(audioSources).toContain('[FILE_PATH]/delicious/list/list_001.wav');
    expect(audioSources).toContain('[FILE_PATH]/delicious/list/list_002.wav');
  });
});

describe('system sounds', () => {
  it.each([
    ['system/beep.wav', 0.29, 0.31],
    ['system/moh.wav', 8, 12],
  ])('%s is an 8 kHz mono µ-law WAV of %d to %d s', (path, min, max) => {
    const wav = readWav(readFileSync(join(SOUND_ROOT, path)));
    expect(wav).toMatchObject(TELEPHONE_ULAW);
    expect(wav.dataBytes / BYTES_PER_SECOND).toBeGreaterThanOrEqual(min);
    expect(wav.dataBytes / BYTES_PER_SECOND).toBeLessThanOrEqual(max);
  });
});

describe('sounds/prompts.json', () => {
  const entries = loadPrompts(SOUND_ROOT);
  const listed = new Set(entries.map((entry) => entry.path));

  it('lists every audio the examples play, and every WAV under sounds/', () => {
    const used = audioSources.map((src) => src.slice('[FILE_PATH]/'.length));
    expect(used.filter((path) => !listed.has(path))).toEqual([]);
    expect(wavFiles(SOUND_ROOT).filter((path) => !listed.has(path))).toEqual([]);
  });

  it('lists no spoken prompt that no example plays (system/ prompts: the runtime names them itself)', () => {
    const used = new Set(audioSources.map((src) => src.slice('[FILE_PATH]/'.length)));
    const runtimeSource = execFileSync('git', ['grep', '-h', "'system/", '--', 'runtime'], {
      encoding: 'utf8',
    });
    const spoken = entries.filter((entry) => 'text' in entry).map((entry) => entry.path);
    const unused = spoken.filter((path) => !used.has(path) && !runtimeSource.includes(`'${path}'`));
    expect(unused).toEqual([]);
  });

  it('speaks Chinese text with the cmn voice and the rest with en', () => {
    for (const entry of entries) {
      if (!('text' in entry)) continue;
      expect([entry.path, entry.voice]).toEqual([
        entry.path,
        /\p{Script=Han}/u.test(entry.text) ? 'cmn' : 'en',
      ]);
    }
  });

  it('matches the committed WAVs (run `npm run sounds` after editing it)', () => {
    expect(staleEntries(SOUND_ROOT).map((entry) => entry.path)).toEqual([]);
  });
});

it('keeps sounds/ under 3 MB', () => {
  const total = wavFiles(SOUND_ROOT).reduce((sum, path) => sum + statSync(join(SOUND_ROOT, path)).size, 0);
  expect(total).toBeLessThan(3 * 1024 * 1024);
});
