// Playing prompts: audio paths in the sound root, TTS interpolation, rounds of repeats, trace of each play.
import { relative } from 'node:path';
import type { Prompt, PromptSource } from '../../schema/ast.ts';
import { interpolate } from '../../schema/expr.ts';
import { soundFile } from '../files/sound-source.ts';
import type { MediaSource, PlayResult } from '../media/contract.ts';
import { CONTINUE, lookup, stopped, type Next, type SessionContext } from './context.ts';

/** Plays of a prompt: max(repeat, 1). */
export function playsOf(prompt: Prompt): number {
  return Math.max(1, prompt.repeat ?? 1);
}

/** Whether keys barge in; VoiceXML's default (true) when the attribute is absent. */
export function bargeinOf(prompt: Prompt): boolean {
  return prompt.bargein ?? true;
}

interface Resolved {
  media: MediaSource[];
  shown: string[];
}

function resolveSources(ctx: SessionContext, sources: PromptSource[], path: string): Resolved {
  const media: MediaSource[] = [];
  const shown: string[] = [];
  const get = lookup(ctx);
  for (const s of sources) {
    if (s.type === 'tts') {
      const text = interpolate(s.text, get);
      media.push(s.voice ? { kind: 'tts', text, voice: s.voice } : { kind: 'tts', text });
      shown.push(`tts:${text}`);
    } else if (s.type === 'audio') {
      const src = interpolate(s.src, get);
      const file = soundFile(ctx.settings.sounds, src);
      if (file) {
        media.push({ kind: 'file', path: file });
        shown.push(src);
      } else {
        ctx.emit(
          { type: 'error', code: 'E_AUDIO_PATH', message: `audio '${src}' is outside the sound root` },
          path,
        );
      }
    }
  }
  return { media, shown };
}

/** Plays one prompt once (play number `play`, from 1), tracing start, end and sources that failed. */
export async function playPrompt(
  ctx: SessionContext,
  prompt: Prompt,
  path: string,
  play: number,
): Promise<PlayResult['reason']> {
  const bargein = bargeinOf(prompt);
  const { media, shown } = resolveSources(ctx, prompt.sources, path);
  ctx.emit({ type: 'prompt.start', sources: shown, bargein, play }, path);
  const result = await ctx.leg.play(media, { bargein, signal: ctx.signal });
  for (const e of result.errors) {
    const what = e.source.kind === 'file' ? relative(ctx.settings.sounds.dir, e.source.path) : 'tts';
    ctx.emit({ type: 'error', code: 'E_AUDIO', message: `${what}: ${e.message}` }, path);
  }
  ctx.emit(
    result.digit
      ? { type: 'prompt.end', reason: result.reason, digit: result.digit }
      : { type: 'prompt.end', reason: result.reason },
    path,
  );
  return result.reason;
}

/**
 * Plays prompts with no input wait (a standalone prompt, a `length="0"` field, a menu with nothing to wait
 * for): round r plays the prompts with more than r plays; a barge-in key stops everything (and is dropped).
 */
export async function playOnly(
  ctx: SessionContext,
  prompts: { prompt: Prompt; path: string }[],
): Promise<Next> {
  const rounds = Math.max(1, ...prompts.map((p) => playsOf(p.prompt)));
  for (let round = 0; round < rounds; round++) {
    for (const { prompt, path } of prompts) {
      if (round >= playsOf(prompt)) continue;
      const reason = await playPrompt(ctx, prompt, path, round + 1);
      if (reason === 'interrupted') return CONTINUE;
      const stop = stopped(ctx);
      if (stop) return stop;
    }
  }
  return CONTINUE;
}
