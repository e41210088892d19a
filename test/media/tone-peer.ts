// A real SIP peer for media tests, engine-agnostic: baresip sending a steady sine of its own frequency and
// keeping what it hears (its sndfile filter writes the decoded audio as it arrives), driven over ctrl_tcp.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeMediaPort, freeUdpPort } from './embedded/sip/peers.ts';

export interface BaresipEvent {
  type: string;
  /** The SIP Call-ID of the call the event is about. */
  id?: string;
  [key: string]: unknown;
}

export interface TonePeer {
  readonly hz: number;
  /** A URI the engine can call: the peer answers at once. */
  readonly uri: string;
  /** Runs a baresip command (`dial`, `hangup`, …). */
  command(name: string, params?: string): Promise<{ ok: boolean; data?: string }>;
  /** The first event of `type` (already seen or still to come); rejects after `ms`. */
  event(type: string, ms?: number): Promise<BaresipEvent>;
  /** 8 kHz PCM this peer decoded from the call so far (empty before the first packet). */
  heard(): Int16Array;
  output(): string;
  /** Ends baresip (SIGTERM, then SIGKILL); idempotent. */
  stop(): Promise<void>;
}

const live = new Set<TonePeer>();

/** Stops every tone peer still running (the suites' safety net). */
export async function stopTonePeers(): Promise<void> {
  await Promise.all([...live].map((p) => p.stop()));
}

async function freeTcpPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

async function connectWithRetry(port: number, ms: number, exited: () => boolean): Promise<Socket> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await new Promise<Socket>((done, fail) => {
        const s = connect(port, '127.0.0.1', () => done(s));
        s.once('error', fail);
      });
    } catch (err) {
      if (Date.now() > deadline || exited()) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
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

/** The samples of a WAV that is still being written (its header sizes are filled in only at close). */
function growingWavSamples(file: string): Int16Array {
  const bytes = readFileSync(file);
  const at = bytes.indexOf('data', 12, 'latin1');
  if (at < 0) return new Int16Array(0);
  const body = bytes.subarray(at + 8);
  const samples = new Int16Array(body.length >> 1);
  for (let i = 0; i < samples.length; i++) samples[i] = body.readInt16LE(i * 2);
  return samples;
}

function configFor(dir: string, hz: number, ports: { sip: number; rtp: number; ctrl: number }): string[] {
  const source = join(dir, 'tone.wav');
  // Two minutes at about -14 dBFS: three peers mixed stay far from clipping.
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
    `${hz}`,
    'vol',
    '0.2',
  ]);
  return [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${ports.sip}`,
    `audio_source aufile,${source}`,
    'audio_srate 8000',
    'audio_channels 1',
    `rtp_ports ${ports.rtp}-${ports.rtp + 3}`,
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
    // No sound card: the sndfile filter writes what was decoded to dump-*-dec.wav in snd_path as it arrives.
    'module sndfile.so',
    `snd_path ${dir}`,
    'module_app account.so',
    'module_app menu.so',
    'module_app ctrl_tcp.so',
    `ctrl_tcp_listen 127.0.0.1:${ports.ctrl}`,
  ];
}

/**
 * Starts a baresip that sends `hz` and auto-answers; `dial` through `command('dial', uri)`. `codec` limits what
 * it offers and accepts (default both, PCMU first).
 */
export async function startTonePeer(
  hz: number,
  opts: { user?: string; codec?: 'PCMU' | 'PCMA' } = {},
): Promise<TonePeer> {
  const user = opts.user ?? 'peer';
  const dir = mkdtempSync(join(tmpdir(), `tone-${hz}-`));
  const ports = { sip: await freeUdpPort(), rtp: await freeMediaPort(), ctrl: await freeTcpPort() };
  writeFileSync(join(dir, 'config'), configFor(dir, hz, ports).join('\n') + '\n');
  const uri = `sip:${user}@127.0.0.1:${ports.sip}`;
  const codecs = opts.codec ? `;audio_codecs=${opts.codec}` : '';
  writeFileSync(join(dir, 'accounts'), `<${uri}>;regint=0;answermode=auto${codecs}\n`);
  const child: ChildProcess = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let hasExited = false;
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      hasExited = true;
      resolve();
    }),
  );
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      socket?.destroy();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
      live.delete(peer);
      rmSync(dir, { recursive: true, force: true });
    })());
  let socket: Socket | undefined;
  const events: BaresipEvent[] = [];
  const waiters = new Set<() => void>();
  const pending = new Map<string, (r: { ok: boolean; data?: string }) => void>();
  let token = 0;
  const peer: TonePeer = {
    hz,
    uri,
    command: (name, params) =>
      new Promise((resolve) => {
        const t = String(++token);
        pending.set(t, resolve);
        const json = JSON.stringify({ command: name, params, token: t });
        socket?.write(`${Buffer.byteLength(json)}:${json},`);
      }),
    event: (type, ms = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no baresip ${type} event (peer ${hz} Hz):\n${out}`));
        }, ms);
        const check = (): void => {
          const ev = events.find((e) => e.type === type);
          if (!ev) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(ev);
        };
        waiters.add(check);
        check();
      }),
    heard: () => {
      const dump = readdirSync(dir).find((f) => f.endsWith('-dec.wav'));
      return dump ? growingWavSamples(join(dir, dump)) : new Int16Array(0);
    },
    output: () => out,
    stop,
  };
  live.add(peer);
  try {
    socket = await connectWithRetry(ports.ctrl, 10_000, () => hasExited);
  } catch (err) {
    await stop();
    throw new Error(`baresip did not open its control port:\n${out}`, { cause: err });
  }
  const buf = { data: Buffer.alloc(0) };
  socket.on('data', (d: Buffer) => {
    buf.data = Buffer.concat([buf.data, d]);
    for (const text of netstrings(buf)) {
      const msg = JSON.parse(text) as Record<string, unknown>;
      if (msg.event) events.push(msg as BaresipEvent);
      if (msg.response) pending.get(String(msg.token))?.(msg as { ok: boolean; data?: string });
    }
    for (const w of [...waiters]) w();
  });
  return peer;
}
