// The media contract's set-up for the embedded engine: prompts, hold music, sipp/baresip peers.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedEngine } from '../../../runtime/media/embedded/engine.ts';
import { MUSIC_HZ, PROMPT_HZ } from '../contract-cases-media.ts';
import { sipPeers, writeTone } from '../contract-peers.ts';
import { stopTonePeers } from '../tone-peer.ts';
import { killPeers } from './sip/peers.ts';

/** The contract's set-up for the embedded engine, its media on the main thread or in the media worker. */
export const embeddedSetup = (mediaWorker: boolean) => async () => {
  const dir = mkdtempSync(join(tmpdir(), 'contract-'));
  const shortPrompt = join(dir, 'short.wav');
  const longPrompt = join(dir, 'long.wav');
  const holdMusic = join(dir, 'moh.wav');
  writeTone(shortPrompt, 1, PROMPT_HZ);
  writeTone(longPrompt, 8, PROMPT_HZ);
  writeTone(holdMusic, 3, MUSIC_HZ);
  const engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    transports: ['udp', 'tcp'],
    mediaWorker,
  });
  await engine.start();
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
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
