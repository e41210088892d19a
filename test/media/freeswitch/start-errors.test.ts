// A FreeSWITCH engine that cannot reach drachtio-server or an event socket stops at start with an error naming
// what it could not reach (no FreeSWITCH needed: the addresses are closed or silent loopback ports).
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { FreeswitchEngine } from '../../../runtime/media/freeswitch/engine.ts';
import { probeEventSocket } from '../../../runtime/media/freeswitch/event-socket-probe.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

/** A loopback TCP server: `onConnection` decides what it says (by default nothing, reading what comes). */
async function listen(onConnection: (socket: Socket) => void = (socket) => socket.resume()): Promise<number> {
  const server = createServer(onConnection);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as { port: number }).port;
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

function engineAt(drachtioPort: number, eslPort: number, connectTimeoutMs = 1000): FreeswitchEngine {
  return new FreeswitchEngine({
    drachtio: { host: '127.0.0.1', port: drachtioPort, secret: 'not-cymru' },
    mediaServers: [{ address: '127.0.0.1', port: eslPort, secret: 'not-ClueCon' }],
    ttsDir: '/nonexistent/tts',
    holdMusic: '/nonexistent/moh.wav',
    connectTimeoutMs,
  });
}

describe('FreeSWITCH engine start', () => {
  it('rejects with E_DRACHTIO_UNREACHABLE naming the address when drachtio-server is not there', async () => {
    const port = await closedPort();
    const engine = engineAt(port, await closedPort());
    const started = Date.now();
    await expect(engine.start()).rejects.toMatchObject({
      code: 'E_DRACHTIO_UNREACHABLE',
      message: expect.stringContaining(`drachtio-server at 127.0.0.1:${port}`),
    });
    expect(Date.now() - started).toBeLessThan(1000); // refused at once, not after the timeout
    await engine.stop();
  });

  it('gives up on a drachtio address that accepts but never answers, after connectTimeoutMs', async () => {
    const port = await listen();
    const engine = engineAt(port, await closedPort(), 300);
    await expect(engine.start()).rejects.toMatchObject({
      code: 'E_DRACHTIO_UNREACHABLE',
      message: expect.stringMatching(/no answer within 300 ms/),
    });
  });
});

describe('event socket probe', () => {
  const target = (port: number) => ({
    address: '127.0.0.1',
    port,
    secret: 's3cret',
    profile: 'drachtio_mrf',
  });

  it('rejects when nothing listens', async () => {
    await expect(probeEventSocket(target(await closedPort()), 1000)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });

  it('rejects after the timeout when the port says nothing', async () => {
    await expect(probeEventSocket(target(await listen()), 200)).rejects.toThrow(/no answer within 200 ms/);
  });

  it('rejects a port that does not speak the event-socket protocol', async () => {
    const port = await listen((socket) => socket.end('SSH-2.0-OpenSSH_9.2\r\n\n\n'));
    await expect(probeEventSocket(target(port), 1000)).rejects.toThrow(/not a FreeSWITCH event socket/);
  });
});
