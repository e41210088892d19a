// baresip as a caller driven over its ctrl_tcp module (netstring JSON): dial, send keys, hang up, watch events.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baresipBaseConfig, freeMediaPort, freeUdpPort } from '../media/embedded/sip/peers.ts';
import { tempDir } from './harness.ts';

export interface BaresipEvent {
  type: string;
  [key: string]: unknown;
}

export interface BaresipCaller {
  /** Runs a baresip command (`dial`, `sndcode`, `hangup`, …); resolves with its response. */
  command(name: string, params?: string): Promise<{ ok: boolean; data?: string }>;
  /** Resolves with the first event of `type` (already seen or still to come). */
  event(type: string, ms?: number): Promise<BaresipEvent>;
  output(): string;
  stop(): Promise<void>;
}

/** Netstrings: `<length>:<bytes>,`. */
function* netstrings(buf: { data: Buffer }): Generator<string> {
  for (;;) {
    const colon = buf.data.indexOf(0x3a);
    if (colon < 0) return;
    const len = Number(buf.data.subarray(0, colon).toString());
    if (buf.data.length < colon + 1 + len + 1) return;
    yield buf.data.subarray(colon + 1, colon + 1 + len).toString();
    buf.data = buf.data.subarray(colon + 2 + len);
  }
}

async function connectWithRetry(port: number, ms: number): Promise<Socket> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await new Promise<Socket>((done, fail) => {
        const s = connect(port, '127.0.0.1', () => done(s));
        s.once('error', fail);
      });
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Starts baresip with a generated config: no registration, G.711 only, aufile audio, ctrl_tcp on a free port. */
export async function startBaresipCaller(opts: { user: string }): Promise<BaresipCaller> {
  const dir = tempDir('baresip-caller-');
  const [sipPort, ctrlPort, rtp] = [await freeUdpPort(), await freeTcpPort(), await freeMediaPort()];
  const config = [
    ...baresipBaseConfig(dir, sipPort, rtp),
    'module_app account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
  ];
  writeFileSync(join(dir, 'config'), config.join('\n') + '\n');
  writeFileSync(join(dir, 'accounts'), `<sip:${opts.user}@127.0.0.1:${sipPort}>;regint=0\n`);
  const child: ChildProcess = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let socket: Socket;
  try {
    socket = await connectWithRetry(ctrlPort, 10_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`baresip did not open its control port:\n${out}`, { cause: err });
  }

  const events: BaresipEvent[] = [];
  const eventWaiters = new Set<() => void>();
  const pending = new Map<string, (r: { ok: boolean; data?: string }) => void>();
  const buf = { data: Buffer.alloc(0) };
  socket.on('data', (d: Buffer) => {
    buf.data = Buffer.concat([buf.data, d]);
    for (const text of netstrings(buf)) {
      const msg = JSON.parse(text) as Record<string, unknown>;
      if (msg.event) events.push(msg as BaresipEvent);
      if (msg.response) pending.get(String(msg.token))?.(msg as { ok: boolean; data?: string });
      for (const w of eventWaiters) w();
    }
  });
  let token = 0;
  return {
    command: (name, params) =>
      new Promise((resolve) => {
        const t = String(++token);
        pending.set(t, resolve);
        const json = JSON.stringify({ command: name, params, token: t });
        socket.write(`${Buffer.byteLength(json)}:${json},`);
      }),
    event: (type, ms = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no baresip ${type} event:\n${out}`)), ms);
        const check = () => {
          const ev = events.find((e) => e.type === type);
          if (!ev) return;
          eventWaiters.delete(check);
          clearTimeout(timer);
          resolve(ev);
        };
        eventWaiters.add(check);
        check();
      }),
    output: () => out,
    stop: async () => {
      socket.destroy();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
