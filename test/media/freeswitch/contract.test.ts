// Runs the shared media contract cases against the FreeSWITCH engine: drachtio-server and FreeSWITCH named by
// IVR_DRACHTIO and IVR_FREESWITCH (env.ts), sipp and baresip as callers and callees. Skipped when they are not set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { FreeswitchEngine } from '../../../runtime/media/freeswitch/engine.ts';
import { runMediaContractCases, type ContractSetup } from '../contract-cases.ts';
import { MUSIC_HZ, PROMPT_HZ } from '../contract-cases-media.ts';
import { sipPeers, writeTone } from '../contract-peers.ts';
import { stopTonePeers } from '../tone-peer.ts';
import { killPeers } from '../embedded/sip/peers.ts';
import { engineOptions, freeswitchEnv, type FreeswitchEnv } from './env.ts';

/** drachtio-server spreads INVITEs over every connected application: only one engine may be connected at once. */
let connected: FreeswitchEngine | undefined;

async function setup(env: FreeswitchEnv): Promise<ContractSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'fs-contract-'));
  const shortPrompt = join(dir, 'short.wav');
  const longPrompt = join(dir, 'long.wav');
  const holdMusic = join(dir, 'moh.wav');
  writeTone(shortPrompt, 1, PROMPT_HZ);
  writeTone(longPrompt, 8, PROMPT_HZ);
  writeTone(holdMusic, 3, MUSIC_HZ);
  // The drain case asks for an engine of its own: the suite's steps aside until that one is closed.
  const previous = connected;
  await previous?.stop();
  const engine = new FreeswitchEngine(engineOptions(env, { holdMusic, ttsDir: join(dir, 'tts') }));
  await engine.start();
  connected = engine;
  return {
    engine,
    shortPrompt,
    longPrompt,
    holdMusic,
    dir,
    peer: sipPeers(() => `127.0.0.1:${engine.sipPort}`),
    async close() {
      killPeers();
      await stopTonePeers();
      await engine.stop();
      connected = previous;
      await previous?.start();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const env = freeswitchEnv();

describe.skipIf(!env)('FreeSWITCH (IVR_DRACHTIO and IVR_FREESWITCH)', () => {
  runMediaContractCases('freeswitch', () => setup(env!));
});
