import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { audioExistsIn, resolveAudio } from '../../schema/node.ts';

describe('audioExistsIn', () => {
  const base = mkdtempSync(join(tmpdir(), 'ivr-sounds-'));
  const root = join(base, 'sounds');
  mkdirSync(join(root, 'delicious'), { recursive: true });
  writeFileSync(join(root, 'delicious', 'menu.wav'), 'RIFF');
  writeFileSync(join(base, 'secret.wav'), 'RIFF');
  symlinkSync(join(base, 'secret.wav'), join(root, 'link.wav'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));
  const exists = audioExistsIn(root);

  it('finds files named by [FILE_PATH]/… under the root', () => {
    expect(exists('[FILE_PATH]/delicious/menu.wav')).toBe(true);
    expect(resolveAudio(root, '[FILE_PATH]/delicious/menu.wav')).toMatch(/sounds\/delicious\/menu\.wav$/);
    expect(exists('[FILE_PATH]/delicious/other.wav')).toBe(false);
    expect(exists('[FILE_PATH]/delicious')).toBe(false);
  });

  it('never leaves the root', () => {
    for (const src of [
      '[FILE_PATH]/../secret.wav',
      '[FILE_PATH]/delicious/../../secret.wav',
      '[FILE_PATH]/..\\secret.wav',
      `[FILE_PATH]/${join(base, 'secret.wav')}`,
      '[FILE_PATH]/link.wav',
      join(root, 'delicious', 'menu.wav'),
      'delicious/menu.wav',
    ]) {
      expect({ src, exists: exists(src) }).toEqual({ src, exists: false });
    }
  });
});
