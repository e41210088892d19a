// The FreeSWITCH engine against a running drachtio-server and FreeSWITCH (IVR_DRACHTIO, IVR_DRACHTIO_SECRET,
// IVR_FREESWITCH, IVR_FREESWITCH_SECRET; without them it says so and exits 0). Calls made one after another by sipp
// (RFC 4733 digits 1, 5, #), measured inside the runtime:
//   answer time      `incoming` -> leg.answer() resolved (media server endpoint connected, 200 OK sent)
//   digit-to-prompt  the first digit's `dtmf` event -> FreeSWITCH's PLAYBACK_START for the prompt it asked for
// `npx tsx bench/freeswitch.ts [calls]` (default 20).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CallLeg } from '../runtime/media/contract.ts';
import { FreeswitchEngine } from '../runtime/media/freeswitch/engine.ts';
import type { FreeswitchLeg } from '../runtime/media/freeswitch/leg.ts';
import { writeTone } from '../test/media/contract-peers.ts';
import { killPeers, runSipp } from '../test/media/embedded/sip/peers.ts';
import { engineOptions, freeswitchEnv } from '../test/media/freeswitch/env.ts';

const env = freeswitchEnv();
if (!env) {
  console.log('skipped: set IVR_DRACHTIO, IVR_DRACHTIO_SECRET, IVR_FREESWITCH and IVR_FREESWITCH_SECRET');
  process.exit(0);
}

const n = Number(process.argv[2] ?? 20);
const dir = mkdtempSync(join(tmpdir(), 'bench-fs-'));
const prompt = join(dir, 'prompt.wav');
writeTone(prompt, 1, 400);
const engine = new FreeswitchEngine(engineOptions(env, { holdMusic: prompt, ttsDir: join(dir, 'tts') }));
await engine.start();

const answer: number[] = [];
const toPrompt: number[] = [];
let failed = 0;

/**
 * Answers, plays the prompt on the first digit and measures; hangs up once the prompt ended and the caller's
 * last key (#) came: uac_dtmf.xml takes the BYE only after it sent #, and a BYE during its pauses (the 1 s
 * prompt ends before # is sent) made sipp abort the call and every call count as failed.
 */
async function serve(leg: CallLeg): Promise<void> {
  const fs = leg as FreeswitchLeg;
  const t0 = performance.now();
  await leg.answer();
  answer.push(performance.now() - t0);
  let first: (at: number) => void;
  const digit = new Promise<number>((resolve) => (first = resolve));
  let pound: () => void;
  const lastKey = new Promise<void>((resolve) => (pound = resolve));
  leg.on('dtmf', (e) => {
    first(performance.now());
    if (e.digit === '#') pound();
  });
  const at = await digit;
  const started = new Promise<number>((resolve) =>
    fs.endpoint.on('playback-start', () => resolve(performance.now())),
  );
  const played = leg.play([{ kind: 'file', path: prompt }], { bargein: false });
  toPrompt.push((await started) - at);
  await played;
  await lastKey;
  await leg.hangup();
}

engine.on('incoming', (leg) => {
  serve(leg).catch((err: unknown) => {
    failed++;
    console.error(`call failed: ${(err as Error).message}`);
    void leg.hangup('error');
  });
});

for (let i = 0; i < n; i++) {
  const sipp = await runSipp('uac_dtmf.xml', `127.0.0.1:${engine.sipPort}`, { timeoutSec: 20 });
  const r = await sipp.done;
  if (r.code !== 0) {
    failed++;
    console.error(`sipp: ${r.errors}`);
  }
}

killPeers();
await engine.stop();
rmSync(dir, { recursive: true, force: true });

const pct = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};
const f = (xs: number[]) =>
  `p50 ${pct(xs, 0.5).toFixed(1)} ms, p99 ${pct(xs, 0.99).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms`;
console.log(`${n} calls, ${failed} failed`);
console.log(`  answer time      ${f(answer)}`);
console.log(`  digit-to-prompt  ${f(toPrompt)}`);
