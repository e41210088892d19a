// Two FreeSWITCH media servers for the pool test, each behind an event-socket proxy the test can take away and
// bring back: a TCP proxy on 127.0.0.1, an event-socket `api` query, and a second FreeSWITCH started from the
// first one's own installation with deploy/freeswitch/freeswitch.xml on ports of its own.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  eventSocketApi,
  probeEventSocket,
  type EventSocketTarget,
} from '../../../runtime/media/freeswitch/event-socket-probe.ts';
import { waitFor } from '../embedded/sip/peers.ts';

export type EventSocket = EventSocketTarget;

const DEPLOY_XML = fileURLToPath(new URL('../../../deploy/freeswitch/freeswitch.xml', import.meta.url));

/**
 * A TCP proxy on 127.0.0.1 to `target`, piping bytes both ways. `close()` stops listening and destroys every
 * connection (to whoever connected, the proxy is gone as a server would be); `listen()` takes the same port again.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { address: string; port: number }) {}

  async listen(): Promise<number> {
    const server = createServer((client) => {
      const upstream = connect({ host: this.target.address, port: this.target.port });
      for (const [a, b] of [
        [client, upstream],
        [upstream, client],
      ]) {
        this.sockets.add(a);
        a.pipe(b);
        a.on('error', () => b.destroy());
        a.on('close', () => {
          this.sockets.delete(a);
          b.destroy();
        });
      }
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
    return this.port;
  }

  /** How many connections pass through now (each piped pair counts once). */
  get connections(): number {
    return this.sockets.size / 2;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface SecondFreeswitch extends EventSocket {
  stop(): Promise<void>;
}

/**
 * Starts a second FreeSWITCH next to `first` (which must run on this machine): the binary and modules of
 * `first`'s installation (its `base_dir` and `mod_dir`), deploy/freeswitch/freeswitch.xml with the event socket
 * and SIP on free ports and RTP on 31000-31499 (the first keeps 30000-30999), the same event-socket password.
 * Returns why not when it cannot.
 */
export async function startSecondFreeswitch(first: EventSocket): Promise<SecondFreeswitch | string> {
  if (!['127.0.0.1', 'localhost'].includes(first.address))
    return `the FreeSWITCH at ${first.address} is not on this machine`;
  const baseDir = (await eventSocketApi(first, 'global_getvar base_dir', 5000)).trim();
  const modDir = (await eventSocketApi(first, 'global_getvar mod_dir', 5000)).trim();
  const binary = join(baseDir, 'bin', 'freeswitch');
  if (!existsSync(binary)) return `no FreeSWITCH binary at ${binary} (the base_dir of ${first.address})`;
  const dir = mkdtempSync(join(tmpdir(), 'fs-second-'));
  for (const d of ['conf', 'log', 'db', 'run', 'tmp']) mkdirSync(join(dir, d));
  copyFileSync(DEPLOY_XML, join(dir, 'conf', 'freeswitch.xml'));
  const eslPort = await freeTcpPort();
  const sipPort = await freeTcpPort();
  const child = spawn(
    binary,
    [
      ...['-nonat', '-nf', '-nc'],
      ...['-conf', join(dir, 'conf'), '-log', join(dir, 'log'), '-db', join(dir, 'db')],
      ...['-run', join(dir, 'run'), '-temp', join(dir, 'tmp'), '-mod', modDir],
    ],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        FS_ESL_PASSWORD: first.secret,
        FS_ESL_IP: '127.0.0.1',
        FS_ESL_PORT: String(eslPort),
        FS_SIP_IP: '127.0.0.1',
        FS_SIP_PORT: String(sipPort),
        FS_RTP_START: '31000',
        FS_RTP_END: '31499',
      },
    },
  );
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const server = { address: '127.0.0.1', port: eslPort, secret: first.secret };
  const stop = async (): Promise<void> => {
    if (!exited) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exit;
    clearTimeout(timer);
    rmSync(dir, { recursive: true, force: true });
  };
  // Up once its event socket takes the password and knows the drachtio_mrf profile.
  let ready = false;
  const probe = async (): Promise<void> => {
    while (!exited && !ready) {
      try {
        await probeEventSocket({ ...server, profile: 'drachtio_mrf' }, 1000);
        ready = true;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  void probe();
  try {
    await waitFor(() => ready || exited, 30_000, 'the second FreeSWITCH to start');
    if (exited) throw new Error(`the second FreeSWITCH exited at start:\n${output}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { ...server, stop };
}
