// The one path-confinement rule: names resolve inside their root (lexically and through symlinks) or not at all.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfinedRoot, safeSegments } from '../../runtime/files/confined-root.ts';
import { soundExistsIn, soundFile, soundUrl } from '../../runtime/files/sound-source.ts';

const base = mkdtempSync(join(tmpdir(), 'ivr-root-'));
const dir = join(base, 'sounds');
mkdirSync(join(dir, 'delicious'), { recursive: true });
writeFileSync(join(dir, 'delicious', 'menu.wav'), 'RIFF');
writeFileSync(join(base, 'secret.wav'), 'RIFF');
symlinkSync(join(base, 'secret.wav'), join(dir, 'link.wav'));
symlinkSync(base, join(dir, 'outside'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const root = new ConfinedRoot(dir);

const ESCAPES = [
  '../secret.wav',
  'delicious/../../secret.wav',
  '..\\secret.wav',
  join(base, 'secret.wav'),
  'link.wav',
  'outside/secret.wav',
  'delicious//menu.wav',
  './delicious/menu.wav',
  'delicious/menu.wav\u0000.txt',
  'D:/records/menu.wav',
  '',
];

describe('ConfinedRoot', () => {
  it('splits safe names and refuses the rest', () => {
    expect(safeSegments('a/b c/中文.wav')).toEqual(['a', 'b c', '中文.wav']);
    for (const bad of ['..', 'a/../b', '/a', 'a//b', 'a/./b', 'a\u0001', 'C:\\x', 'x'.repeat(2000)])
      expect({ bad, parts: safeSegments(bad) }).toEqual({ bad, parts: undefined });
  });

  it('opens regular files inside the root, by relative or absolute name', async () => {
    expect(await root.open('delicious/menu.wav')).toMatchObject({ name: 'delicious/menu.wav', bytes: 4 });
    expect(await root.open(join(dir, 'delicious', 'menu.wav'))).toMatchObject({ name: 'delicious/menu.wav' });
    expect(await root.open('delicious')).toBeUndefined();
    expect(await root.open('delicious/missing.wav')).toBeUndefined();
    expect(root.isFileSync('delicious/menu.wav')).toBe(true);
  });

  it.each(ESCAPES)('never leaves the root: %j', async (name) => {
    expect(await root.open(name)).toBeUndefined();
    expect(root.isFileSync(name)).toBe(false);
  });

  it('tells the root itself and folders inside it from folders outside', async () => {
    expect(await root.containsOrIs(dir)).toBe(true);
    expect(await root.containsOrIs(join(dir, 'delicious'))).toBe(true);
    expect(await root.containsOrIs(join(dir, 'outside'))).toBe(false);
    expect(await root.contains(dir)).toBe(false);
  });
});

describe('audio sources ([FILE_PATH]/…)', () => {
  const exists = soundExistsIn(root);

  it('finds files named by [FILE_PATH]/… under the root', () => {
    expect(exists('[FILE_PATH]/delicious/menu.wav')).toBe(true);
    expect(soundFile(root, '[FILE_PATH]/delicious/menu.wav')).toMatch(/sounds\/delicious\/menu\.wav$/);
    expect(exists('[FILE_PATH]/delicious/other.wav')).toBe(false);
    // A missing file inside the root is still named, so that playback can report it.
    expect(soundFile(root, '[FILE_PATH]/delicious/other.wav')).toBe(join(dir, 'delicious', 'other.wav'));
    expect(exists('[FILE_PATH]/delicious')).toBe(false);
  });

  it.each([
    ...ESCAPES.map((n) => `[FILE_PATH]/${n}`),
    'delicious/menu.wav',
    join(dir, 'delicious', 'menu.wav'),
  ])('never leaves the root: %j', (src) => {
    expect(exists(src)).toBe(false);
    expect(soundFile(root, src)).toBeUndefined();
  });

  it('serves files of the root under /sounds/', () => {
    expect(soundUrl(root, join(dir, 'delicious', 'menu.wav'))).toBe('/sounds/delicious/menu.wav');
    expect(soundUrl(root, join(base, 'secret.wav'))).toBeUndefined();
  });
});
