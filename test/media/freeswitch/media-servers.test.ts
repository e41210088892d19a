// The media-server pool against the FreeSWITCH event sockets IVR_FREESWITCH names (skipped without them): it
// connects to each, and refuses at start a wrong password naming the server.
import Srf from 'drachtio-srf';
import { describe, expect, it } from 'vitest';
import { silentLog } from '../../../runtime/media/freeswitch/errors.ts';
import { MediaServerPool } from '../../../runtime/media/freeswitch/media-servers.ts';
import { freeswitchEnv } from './env.ts';

const env = freeswitchEnv();

describe.skipIf(!env)('media servers on FreeSWITCH (IVR_DRACHTIO and IVR_FREESWITCH)', () => {
  it('connects to every event socket; each new call is counted on the server it goes to', async () => {
    const pool = new MediaServerPool(new Srf(), env!.mediaServers, silentLog, 5000);
    await pool.start();
    try {
      expect(pool.up).toBe(env!.mediaServers.length);
      const first = pool.pick();
      expect(first.ms.connected()).toBe(true);
      expect(pool.status().map((s) => s.sessions)).toEqual(
        env!.mediaServers.map((_, i) => (i === 0 ? 1 : 0)),
      );
      first.release();
      expect(pool.status()).toEqual(
        env!.mediaServers.map((s) =>
          expect.objectContaining({ address: s.address, port: s.port, up: true, sessions: 0 }),
        ),
      );
    } finally {
      pool.stop();
    }
    expect(pool.up).toBe(0);
  });

  it('stops at start on a wrong event-socket password, naming the server', async () => {
    const [server] = env!.mediaServers;
    const pool = new MediaServerPool(
      new Srf(),
      [{ ...server, secret: `${server.secret}-wrong` }],
      silentLog,
      5000,
    );
    await expect(pool.start()).rejects.toMatchObject({
      code: 'E_MEDIA_SERVER_UNREACHABLE',
      message: `cannot reach the FreeSWITCH event socket at ${server.address}:${server.port} (the event socket refused the password)`,
    });
    expect(pool.up).toBe(0);
  });
});
