// baresip as a phone driven over its ctrl_tcp module (netstring JSON): a registered agent extension or a plain
// caller; dial, answer, send keys, hang up, watch events, and hear what it was sent (its sndfile dump).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baresipBaseConfig, freeMediaPort, freeUdpPort } from '../media/embedded/sip/peers.ts';
import { tempDir } from './harness.ts';

export interface BaresipEvent {
  type: string;
  [key: string]: unknown;
}

export interface BaresipCaller {
  /** The UDP port this phone takes SIP on (a trunk pointed at it reaches it). */
  readonly sipPort: number;
  /** Runs a baresip command (`dial`, `accept`, `sndcode`, `hangup`, …); resolves with its response. */
  command(name: string, params?: string): Promise<{ ok: boolean; data?: string }>;
  /** Resolves with the first event of `type` (already seen or still to come). */
  event(type: string, ms?: number): Promise<BaresipEvent>;
  /** Resolves with the `n`-th event of `type` (1-based), seen or to come. */
  nth(type: string, n: number, ms?: number): Promise<BaresipEvent>;
  /** How many events of `type` came so far. */
  count(type: string): number;
  /** The audio baresip decoded from the far end so far (16-bit mono PCM at 8 kHz), when started with `record`. */
  heard(): Int16Array;
  output(): string;
  stop(): Promise<void>;
}

export interface PhoneOptions {
  /** The SIP user (caller id, or extension number when `registrar` is given). */
  user: string;
  /** Registers as `user` at this `host:port` with `password`. */
  registrar?: string;
  /** Answers digest challenges with it (without `registrar`: on its calls only). */
  password?: string;
  /** `auto` answers incoming calls at once; `manual` waits for `accept` (default). */
  answer?: 'auto' | 'manual';
  /** The tone this phone sends as its voice (Hz, default 300). */
  toneHz?: number;
  /** Keep what the phone hears (sndfile dumps) for `heard()`. */
  record?: boolean;
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

async function connectWithRetry(port: number, ms: number, alive: () => boolean): Promise<Socket> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await new Promise<Socket>((done, fail) => {
        const s = connect(port, '127.0.0.1', () => done(s));
        s.once('error', fail);
      });
    } catch (err) {
      if (Date.now() > deadline || !alive()) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** TCP ports already given to a phone's control socket (free again once released, before baresip binds). */
const tcpHandedOut = new Set<number>();

async function freeTcpPort(): Promise<number> {
  for (;;) {
    const server = createServer();
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((done) => server.close(() => done()));
    if (tcpHandedOut.has(port)) continue;
    tcpHandedOut.add(port);
    return port;
  }
}

/** The 16-bit PCM of a WAV sndfile is still writing (its header's sizes are filled in only at close). */
function pcmOf(file: string): Int16Array {
  const b = readFileSync(file);
  const at = b.indexOf('data', 12, 'latin1');
  if (at < 0) return new Int16Array(0);
  const body = b.subarray(at + 8);
  const out = new Int16Array(body.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = body.readInt16LE(i * 2);
  return out;
}

/** baresip could not bind a port it was given (another process took it between the check and the start). */
class PortTaken extends Error {}

/**
 * Starts baresip with a generated config: G.711 only, a sine tone as microphone, ctrl_tcp on a free port. Ports
 * are only known free when chosen, and baresip also binds TCP on the SIP port and the next one (TLS), which the
 * system may have given to a connection meanwhile: a start that fails on a taken port is retried on new ones.
 */
export async function startPhone(opts: PhoneOptions): Promise<BaresipCaller> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPhoneOnce(opts);
    } catch (err) {
      if (!(err instanceof PortTaken) || attempt === 3) throw err;
    }
  }
}

async function startPhoneOnce(opts: PhoneOptions): Promise<BaresipCaller> {
  const dir = tempDir('baresip-phone-');
  const [sipPort, ctrlPort, rtp] = [await freeUdpPort(), await freeTcpPort(), await freeMediaPort()];
  const config = [
    ...baresipBaseConfig(dir, sipPort, rtp),
    'module_app account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
    ...(opts.record ? ['module sndfile.so', `snd_path ${dir}`] : []),
  ];
  if (opts.toneHz !== undefined) {
    // The base config's source is a 300 Hz tone; this phone speaks in its own.
    const source = join(dir, 'source.wav');
    spawnSync('sox', [
      '-n',
      '-r',
      '8000',
      '-c',
      '1',
      '-b',
      '16',
      source,
      'synth',
      '120',
      'sine',
      String(opts.toneHz),
      // About -14 dBFS: three phones mixed in a conference stay far from clipping.
      'vol',
      '0.2',
    ]);
  }
  writeFileSync(join(dir, 'config'), config.join('\n') + '\n');
  const account = opts.registrar
    ? `<sip:${opts.user}@${opts.registrar};transport=udp>;auth_pass=${opts.password};answermode=${opts.answer ?? 'manual'};regint=60`
    : `<sip:${opts.user}@127.0.0.1:${sipPort}>;regint=0;answermode=${opts.answer ?? 'manual'}` +
      (opts.password ? `;auth_pass=${opts.password}` : '');
  writeFileSync(join(dir, 'accounts'), `${account}\n`);
  const child: ChildProcess = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  let running = true;
  // A test file whose worker ends before its phone stops (a timeout, a failed hook) leaves no baresip behind.
  const orphaned = () => child.kill('SIGKILL');
  process.once('exit', orphaned);
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      running = false;
      process.off('exit', orphaned);
      resolve();
    }),
  );
  let socket: Socket;
  try {
    socket = await connectWithRetry(ctrlPort, 10_000, () => running);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    const Failure = /Address already in use/.test(out) ? PortTaken : Error;
    throw new Failure(`baresip did not open its control port:\n${out}`, { cause: err });
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
  const nth = (type: string, n: number, ms = 15_000) =>
    new Promise<BaresipEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        eventWaiters.delete(check);
        reject(new Error(`no baresip ${type} event #${n}:\n${out}`));
      }, ms);
      const check = () => {
        const ev = events.filter((e) => e.type === type)[n - 1];
        if (!ev) return;
        eventWaiters.delete(check);
        clearTimeout(timer);
        resolve(ev);
      };
      eventWaiters.add(check);
      check();
    });
  let token = 0;
  return {
    sipPort,
    command: (name, params) =>
      new Promise((resolve) => {
        const t = String(++token);
        pending.set(t, resolve);
        const json = JSON.stringify({ command: name, params, token: t });
        socket.write(`${Buffer.byteLength(json)}:${json},`);
      }),
    event: (type, ms) => nth(type, 1, ms),
    nth,
    count: (type) => events.filter((e) => e.type === type).length,
    heard: () => {
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('-dec.wav'))
        .sort();
      const parts = files.map((f) => pcmOf(join(dir, f)));
      const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.length;
      }
      return all;
    },
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

/** A caller (no registration) that answers nothing by itself. */
export function startBaresipCaller(opts: { user: string }): Promise<BaresipCaller> {
  return startPhone({ user: opts.user });
}
