// Runs the shared media contract cases against the FreeSWITCH engine: drachtio-server and FreeSWITCH named by
// IVR_DRACHTIO and IVR_FREESWITCH (env.ts), sipp and baresip as callers and callees. Skipped when they are not set.
import { join } from 'node:path';
import { describe } from 'vitest';
import { FreeswitchEngine } from '../../../runtime/media/freeswitch/engine.ts';
import { runMediaContractCases, type ContractSetup } from '../contract-cases.ts';
import { contractSetup, contractSounds } from '../contract-peers.ts';
import { engineOptions, freeswitchEnv, type FreeswitchEnv } from './env.ts';

/** drachtio-server spreads INVITEs over every connected application: only one engine may be connected at once. */
let connected: FreeswitchEngine | undefined;

async function setup(env: FreeswitchEnv): Promise<ContractSetup> {
  const sounds = contractSounds('fs-contract-');
  // The drain case asks for an engine of its own: the suite's steps aside until that one is closed.
  const previous = connected;
  await previous?.stop();
  const engine = new FreeswitchEngine(
    engineOptions(env, { holdMusic: sounds.holdMusic, ttsDir: join(sounds.dir, 'tts') }),
  );
  await engine.start();
  connected = engine;
  return contractSetup(engine, sounds, async () => {
    await engine.stop();
    connected = previous;
    await previous?.start();
  });
}

const env = freeswitchEnv();

describe.skipIf(!env)('FreeSWITCH (IVR_DRACHTIO and IVR_FREESWITCH)', () => {
  runMediaContractCases('freeswitch', () => setup(env!));
});
