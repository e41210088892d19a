// RTP bench: N sessions play a prompt through the shared 20 ms clock to N receiver sockets in a child process;
// prints the receive-interval jitter (p50/p99 of |interval - 20 ms|), clock lateness and sender CPU per session.
// Usage: npm run bench:rtp [-- 50 200 500] [--seconds 8]
import { createSocket, type Socket } from 'node:dgram';
import { fork } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RtpSession, PCMU } from '../runtime/media/embedded/rtp/session.ts';
import { sharedMediaClock } from '../runtime/media/embedded/rtp/clock.ts';
import { tone } from '../runtime/media/audio/tone.ts';
import { writeWavPcm16 } from '../runtime/media/audio/wav.ts';

/** One PCMU packet of silence: version 2, PT 0. */
const ANSWER = Buffer.concat([
  Buffer.from([0x80, 0, 0, 1, 0, 0, 0, 160, 0, 0, 0, 42]),
  Buffer.alloc(160, 0xff),
]);

type Report = { packets: number; p50: number; p99: number; max: number };

/** Histogram of jitter in 0.1 ms bins up to 100 ms. */
function percentiles(hist: Uint32Array, total: number): { p50: number; p99: number; max: number } {
  const at = (q: number) => {
    let seen = 0;
    for (let i = 0; i < hist.length; i++) if ((seen += hist[i]) >= q * total) return i / 10;
    return hist.length / 10;
  };
  let max = 0;
  for (let i = hist.length - 1; i >= 0; i--)
    if (hist[i]) {
      max = i / 10;
      break;
    }
  return { p50: at(0.5), p99: at(0.99), max };
}

async function receiver(count: number): Promise<void> {
  const hist = new Uint32Array(1001);
  let packets = 0;
  const sockets: Socket[] = [];
  for (let i = 0; i < count; i++) {
    const s = createSocket('udp4');
    let last = 0;
    s.on('message', (_msg, rinfo) => {
      const now = performance.now();
      // Answer the first packet once, like a phone: the session latches (symmetric RTP) and connects its socket.
      if (!last) s.send(ANSWER, rinfo.port, rinfo.address);
      if (last) {
        hist[Math.min(1000, Math.round(Math.abs(now - last - 20) * 10))]++;
        packets++;
      }
      last = now;
    });
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    sockets.push(s);
  }
  process.send!({ ports: sockets.map((s) => s.address().port) });
  process.on('message', () => {
    for (const s of sockets) s.close();
    process.send!({ packets, ...percentiles(hist, packets) } satisfies Report, () => process.exit(0));
  });
}

async function run(count: number, seconds: number, prompt: string): Promise<void> {
  const child = fork(process.argv[1], ['--receiver', String(count)], { execArgv: process.execArgv });
  const ports = await new Promise<number[]>((r) =>
    child.once('message', (m) => r((m as { ports: number[] }).ports)),
  );
  const sessions = await Promise.all(ports.map(() => RtpSession.open()));
  sessions.forEach((s, i) => s.setRemote({ address: '127.0.0.1', port: ports[i], codec: PCMU }));
  const clock = sharedMediaClock();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const ticks0 = clock.stats().ticks;
  clock.resetStats();
  const stop = new AbortController();
  setMaxListeners(0, stop.signal);
  for (const s of sessions) {
    void (async () => {
      while (!stop.signal.aborted)
        await s.play([{ kind: 'file', path: prompt }], { bargein: false, signal: stop.signal });
    })();
  }
  await clock.waitTicks(Math.round((seconds * 1000) / clock.periodMs));
  const cpu = process.cpuUsage(cpu0);
  const wall = performance.now() - t0;
  const lateness = clock.stats();
  const sent = sessions.reduce((n, s) => n + s.stats().packetsSent, 0);
  stop.abort();
  await Promise.all(sessions.map((s) => s.close()));
  child.send('stop');
  const rx = await new Promise<Report>((r) => child.once('message', (m) => r(m as Report)));
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(
    [
      `sessions=${count}`.padEnd(14),
      `sent=${sent} recv=${rx.packets + count}`.padEnd(26),
      `pps=${Math.round((sent * 1000) / wall)}`.padEnd(11),
      `jitter p50=${rx.p50.toFixed(1)}ms p99=${rx.p99.toFixed(1)}ms max=${rx.max.toFixed(1)}ms`.padEnd(44),
      `tick late p50=${lateness.lateP50.toFixed(1)}ms p99=${lateness.lateP99.toFixed(1)}ms`.padEnd(32),
      `tick work p50=${lateness.workP50.toFixed(2)}ms p99=${lateness.workP99.toFixed(2)}ms`.padEnd(34),
      `ticks=${lateness.ticks - ticks0} skipped=${lateness.skipped}`.padEnd(22),
      `cpu=${((cpuMs / wall) * 100).toFixed(1)}% (${((cpuMs / wall / count) * 1000).toFixed(2)} ms/s per session)`,
    ].join(' '),
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--receiver') return receiver(Number(args[1]));
  const secIdx = args.indexOf('--seconds');
  const seconds = secIdx >= 0 ? Number(args[secIdx + 1]) : 8;
  const counts = args.filter((a, i) => /^\d+$/.test(a) && i !== secIdx + 1).map(Number);
  const dir = mkdtempSync(join(tmpdir(), 'bench-rtp-'));
  const prompt = join(dir, 'prompt.wav');
  writeFileSync(prompt, writeWavPcm16(tone([440, 880], 3000, 6000, 16000), 16000));
  try {
    for (const n of counts.length ? counts : [50, 200, 500]) await run(n, seconds, prompt);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
