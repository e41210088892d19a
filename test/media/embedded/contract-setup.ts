// The media contract's set-up for the embedded engine: prompts, hold music, sipp/baresip peers.
import { EmbeddedEngine } from '../../../runtime/media/embedded/engine.ts';
import { contractSetup, contractSounds } from '../contract-peers.ts';

/** The contract's set-up for the embedded engine, its media on the main thread or in the media worker. */
export const embeddedSetup = (mediaWorker: boolean) => async () => {
  const sounds = contractSounds('contract-');
  const engine = new EmbeddedEngine({
    host: '127.0.0.1',
    sipPort: 0,
    transports: ['udp', 'tcp'],
    mediaWorker,
  });
  await engine.start();
  return contractSetup(engine, sounds, () => engine.stop());
};
