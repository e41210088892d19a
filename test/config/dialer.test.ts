// The dialer's and the TTS engine's configuration keys: defaults, limits, and the engine the runtime builds.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../runtime/config/load.ts';
import { createTts } from '../../runtime/server.ts';
import { EspeakTts } from '../../runtime/media/audio/tts.ts';
import { HttpTts } from '../../runtime/media/audio/tts-http.ts';

function problems(overrides: Record<string, unknown>): string[] {
  try {
    loadConfig({ env: {}, overrides });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('dialer and tts keys', () => {
  it('have defaults', () => {
    const c = loadConfig({ env: {} });
    expect(c.dialer).toMatchObject({
      trunk: { channels: 30, callsPerSecond: 10 },
      ringSec: 45,
      retry: { maxAttempts: 3, delaySec: 60, on: ['busy', 'no-answer', 'unreachable'] },
      maxQueued: 100000,
      keepDays: 30,
      pwd: { required: false },
      fixedLine: { answerSupervision: false, leadIn: 'system/press_any_key.wav', leadInSec: 30 },
    });
    expect(c.dialer.pwd.secret).toBeUndefined();
    expect(c.tts).toMatchObject({ engine: 'espeak', voice: 'cmn' });
  });

  it('refuse values out of range, naming the key', () => {
    expect(problems({ 'dialer.trunk': { channels: 0 } })[0]).toMatch(/^dialer\.trunk\.channels/);
    expect(problems({ 'dialer.trunk': { callsPerSecond: 0 } })[0]).toMatch(/^dialer\.trunk\.callsPerSecond/);
    expect(problems({ 'dialer.retry': { on: ['not-found'] } })[0]).toMatch(/^dialer\.retry\.on/);
    expect(problems({ 'dialer.pwd': { secret: 'short' } })[0]).toMatch(/^dialer\.pwd\.secret/);
    expect(problems({ tts: { engine: 'http' } })[0]).toMatch(/^tts\.http\.url.*needs tts\.http\.url/);
    expect(problems({ tts: { engine: 'http', http: { url: 'http://tts.example/speak' } } })[0]).toMatch(
      /\{text\}/,
    );
  });

  it('build espeak-ng by default and the HTTP provider when asked', () => {
    expect(createTts(loadConfig({ env: {}, overrides: { db: ':memory:' } }))).toBeInstanceOf(EspeakTts);
    const http = loadConfig({
      env: {},
      overrides: { db: ':memory:', tts: { engine: 'http', http: { url: 'https://tts.example/s?q={text}' } } },
    });
    expect(createTts(http)).toBeInstanceOf(HttpTts);
  });
});
