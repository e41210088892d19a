// scripts/make-sounds.ts with the real espeak-ng and sox: renders what is new or changed, nothing else.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadPrompts, makeSounds, readLock, recipeHash, staleEntries } from '../../scripts/make-sounds.ts';
import { TELEPHONE_ULAW, readWav } from './wav.ts';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'make-sounds-test-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function writePrompts(spoken: { path: string; voice: string; text: string }[]): void {
  const synthesised = [
    { path: 'system/beep.wav', description: 'beep', sox: ['synth', '0.3', 'sine', '1000'] },
  ];
  writeFileSync(join(root, 'prompts.json'), JSON.stringify({ spoken, synthesised }));
}

it('renders missing files as 8 kHz mono µ-law and records their recipes', async () => {
  writePrompts([{ path: 'demo/hello.wav', voice: 'en', text: 'Hello' }]);
  expect(await makeSounds(root)).toEqual(['demo/hello.wav', 'system/beep.wav']);
  for (const path of ['demo/hello.wav', 'system/beep.wav']) {
    expect(readWav(readFileSync(join(root, path)))).toMatchObject(TELEPHONE_ULAW);
  }
  const lock = readLock(root);
  for (const entry of loadPrompts(root)) expect(lock[entry.path]).toBe(recipeHash(entry));
  expect(staleEntries(root)).toEqual([]);
});

it('renders again only what changed, and forgets removed entries', async () => {
  writePrompts([
    { path: 'demo/hello.wav', voice: 'en', text: 'Hello' },
    { path: 'demo/bye.wav', voice: 'en', text: 'Goodbye' },
  ]);
  await makeSounds(root);
  expect(await makeSounds(root)).toEqual([]);

  writePrompts([{ path: 'demo/hello.wav', voice: 'cmn', text: '你好' }]);
  expect(staleEntries(root).map((entry) => entry.path)).toEqual(['demo/hello.wav']);
  expect(await makeSounds(root)).toEqual(['demo/hello.wav']);
  expect(Object.keys(readLock(root))).toEqual(['demo/hello.wav', 'system/beep.wav']);
});

it('renders a file again when it was deleted', async () => {
  writePrompts([]);
  await makeSounds(root);
  rmSync(join(root, 'system/beep.wav'));
  expect(await makeSounds(root)).toEqual(['system/beep.wav']);
});

it('refuses a list with a path outside the sound root or a duplicate path', () => {
  writePrompts([{ path: '../escape.wav', voice: 'en', text: 'x' }]);
  expect(() => loadPrompts(root)).toThrow();
  writePrompts([{ path: 'system/beep.wav', voice: 'en', text: 'beep' }]);
  expect(() => loadPrompts(root)).toThrow(/twice/);
});
