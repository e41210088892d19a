// Real SIP peers for tests: sipp scenarios and baresip, run as child processes that every test stops.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SIPP_DIR = fileURLToPath(new URL('../fixtures/sipp/', import.meta.url));

/** A free even UDP port with the next one free too (sipp uses mp and mp+1/mp+2 for media). */
export async function freeMediaPort(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const a = createSocket('udp4');
    await new Promise<void>((resolve) => a.bind(0, '127.0.0.1', resolve));
    const port = a.address().port;
    a.close();
    if (port % 2 || port > 65000 || handedOut.has(port)) continue;
    const ok = await Promise.all([port, port + 1, port + 2, port + 3].map(udpFree));
    if (ok.every(Boolean)) {
      for (const p of [port, port + 1, port + 2, port + 3]) handedOut.add(p);
      return port;
    }
  }
  throw new Error('no free media port');
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

export interface SippResult {
  code: number | null;
  /** Unexpected messages sipp logged (its -trace_err file). */
  errors: string;
  /** Every message sent and received (its -trace_msg file). */
  messages: string;
}

export interface SippRun {
  done: Promise<SippResult>;
  kill(): void;
}

const running = new Set<ChildProcess>();

/** Runs one sipp scenario against `target` (host:port) for one call; rejects nothing, reports the exit code. */
export async function runSipp(
  scenario: string,
  target: string,
  opts: {
    service?: string;
    transport?: 'u1' | 't1';
    timeoutSec?: number;
    extra?: string[];
    uas?: boolean;
    /** Source address of sipp's SIP and media (any 127.x address works on loopback). */
    localIp?: string;
  } = {},
): Promise<SippRun> {
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const mp = await freeMediaPort();
  const args = [
    ...(opts.uas ? [] : [target]),
    '-sf',
    join(SIPP_DIR, scenario),
    '-s',
    opts.service ?? '900',
    '-m',
    '1',
    '-i',
    opts.localIp ?? '127.0.0.1',
    '-mi',
    opts.localIp ?? '127.0.0.1',
    '-mp',
    String(mp),
    '-t',
    opts.transport ?? 'u1',
    '-timeout',
    `${opts.timeoutSec ?? 20}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    '-error_file',
    join(dir, 'errors.log'),
    '-trace_msg',
    '-message_file',
    join(dir, 'messages.log'),
    ...(opts.extra ?? []),
  ];
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<SippResult>((resolve) => {
    child.on('exit', (code) => {
      running.delete(child);
      const read = (f: string): string => {
        try {
          return readFileSync(join(dir, f), 'utf8');
        } catch {
          return '';
        }
      };
      const result = { code, errors: read('errors.log') + stderr, messages: read('messages.log') };
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    });
  });
  return { done, kill: () => child.kill('SIGKILL') };
}

/**
 * Starts a sipp UAS scenario on a free port and resolves once sipp listens there: an INVITE sent before that
 * meets a closed port, and a SIP stack that heeds the ICMP "port unreachable" (drachtio-server's sofia-sip does)
 * fails the call at once instead of retransmitting.
 */
export async function runSippUas(
  scenario: string,
  opts: { timeoutSec?: number; extra?: string[] } = {},
): Promise<SippRun & { port: number }> {
  const port = await freeUdpPort();
  const run = await runSipp(scenario, '', {
    ...opts,
    uas: true,
    extra: ['-p', String(port), ...(opts.extra ?? [])],
  });
  let exited = false;
  void run.done.then(() => (exited = true));
  await waitFor(() => exited || udpBound(port), 10_000, `sipp to listen on UDP port ${port}`);
  return { ...run, port };
}

/** Whether some socket is bound to UDP `port` (Linux's /proc/net/udp), found without binding it ourselves. */
function udpBound(port: number): boolean {
  const local = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .some((line) => line.trim().split(/\s+/)[1]?.endsWith(local));
}

/** Ports already handed to a peer by this process: a port is free again once released, before the peer binds it. */
const handedOut = new Set<number>();

export async function freeUdpPort(): Promise<number> {
  for (;;) {
    const s = createSocket('udp4');
    await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
    const port = s.address().port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

/** Kills every peer still running (afterEach safety net). */
export function killPeers(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/** Polls `check` until it is truthy or the deadline passes. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 10_000,
  what = 'condition',
): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export interface Baresip {
  /** Bytes of audio baresip decoded from us (its sndfile filter's dump-*-dec.wav files). */
  heardBytes(): number;
  output(): string;
  /** SIGTERM (baresip unregisters on the way out); resolves on exit. */
  stop(): Promise<void>;
}

/** The config lines every test baresip shares: loopback SIP, G.711 only, a 300 Hz aufile source (no sound card). */
export function baresipBaseConfig(dir: string, sipPort: number, rtpPort: number): string[] {
  const source = join(dir, 'source.wav');
  spawnSync('sox', ['-n', '-r', '8000', '-c', '1', '-b', '16', source, 'synth', '30', 'sine', '300']);
  return [
    'poll_method epoll',
    `sip_listen 127.0.0.1:${sipPort}`,
    `audio_source aufile,${source}`,
    'audio_srate 8000',
    'audio_channels 1',
    `rtp_ports ${rtpPort}-${rtpPort + 3}`,
    'module_path /usr/lib/baresip/modules',
    'module g711.so',
    'module aufile.so',
  ];
}

/** Starts baresip with a generated config: one account, auto-answer, aufile audio (no sound card), G.711 only. */
export async function startBaresip(opts: {
  registrar: string;
  user: string;
  password: string;
}): Promise<Baresip> {
  const dir = mkdtempSync(join(tmpdir(), 'baresip-'));
  const port = await freeUdpPort();
  const rtp = await freeMediaPort();
  const config = [
    ...baresipBaseConfig(dir, port, rtp),
    // No player needed: the sndfile filter dumps what baresip decoded to dump-*-dec.wav in snd_path.
    'module sndfile.so',
    `snd_path ${dir}`,
    'module_app account.so',
  ];
  writeFileSync(join(dir, 'config'), config.join('\n') + '\n');
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${opts.user}@${opts.registrar};transport=udp>;auth_pass=${opts.password};answermode=auto;regint=60\n`,
  );
  const child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    heardBytes: () =>
      readdirSync(dir)
        .filter((f) => f.endsWith('-dec.wav'))
        .reduce((n, f) => n + statSync(join(dir, f)).size, 0),
    output: () => out,
    stop: async () => {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      running.delete(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
