// Live-call bench: the whole runtime (SIP, RTP, interpreter, store, HTTP checks to the examples backend) under N
// concurrent sipp callers that each listen to a prompt, press 0101 (RFC 4733) and hear the next prompt.
// Prints calls completed/failed, digits lost, call-log rows missing, media clock jitter, digit-to-prompt latency,
// and CPU and memory per call. Usage: npm run bench -- calls   or   tsx bench/calls.ts [50 200 500 1000 2000]
// (IVR_SIP_MEDIA_WORKER=false: media on the main thread, for comparison).
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { TickStats } from '../runtime/media/embedded/rtp/clock.ts';
import type { Runtime } from '../runtime/server.ts';
import { scenario, startCallRuntime, tempDir } from '../test/calls/harness.ts';
import { writeDigitsPcap } from '../test/calls/pcap.ts';
import { DIGITS, f1, flow, fromStore, idle, MAX_RATE, pct, runCallers, startBackend } from './call-load.ts';
import { canCapture, digitToPromptOnWire, jitterByPhase, startCapture, type Capture } from './rtp-capture.ts';

const ROUNDS = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = ROUNDS.length > 0 ? ROUNDS : [50, 200, 500, 1000, 2000];
/** Room for 2 000 calls' RTP (one even port each). */
const RTP_PORTS = { min: 20000, max: 29999 };
/**
 * Each caller listens this long before pressing keys: until every call of the round is up (sipp places at most
 * MAX_RATE a second), and then 4 s more with all of them playing.
 */
const rampFor = (n: number) => (n / Math.min(n, MAX_RATE)) * 1000;
const holdFor = (n: number) => rampFor(n) + 4000;

/** Media clock lateness per phase of a round: calls arriving, every call playing, keys/checks/hang-ups. */
async function clockPhases(runtime: Runtime, n: number) {
  const clock = async (reset: boolean) => (await runtime.mediaClock(reset))!.stats;
  let skippedBefore = (await clock(true)).skipped;
  const phases: {
    name: string;
    end: number;
    stats: TickStats;
    cpuPercent: number;
    load: number;
    /** The main thread's event-loop delay (SIP, interpreter, checks, store), p99 and max in ms. */
    mainDelay: { p99: number; max: number };
  }[] = [];
  let [cpuBefore, wallBefore] = [process.cpuUsage(), performance.now()];
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  // `skipped` counts since the clock started; the percentiles since the last reset. CPU % of this process (all
  // its threads) and the machine's load average say whether late ticks come from our work or other processes.
  const close = async (name: string) => {
    const end = Date.now();
    const stats = await clock(true);
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPercent = (cpu.user + cpu.system) / 10 / (performance.now() - wallBefore);
    phases.push({
      name,
      end,
      stats: { ...stats, skipped: stats.skipped - skippedBefore },
      cpuPercent,
      load: loadavg()[0],
      mainDelay: { p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
    });
    delay.reset();
    [skippedBefore, cpuBefore, wallBefore] = [stats.skipped, process.cpuUsage(), performance.now()];
  };
  const pending: Promise<void>[] = [];
  const timers = [
    setTimeout(() => pending.push(close('calls arriving')), rampFor(n)),
    setTimeout(() => pending.push(close('all playing')), holdFor(n)),
  ];
  return {
    async end(): Promise<typeof phases> {
      timers.forEach(clearTimeout);
      await Promise.all(pending);
      await close('keys, checks, hang-ups');
      delay.disable();
      return phases;
    },
  };
}

async function round(runtime: Runtime, dir: string, n: number): Promise<void> {
  const file = scenario(dir, 'uac_bench.xml', { DIR: dir, HOLD: String(holdFor(n)) });
  const since = Date.now();
  const cpu0 = process.cpuUsage();
  const rss0 = process.memoryUsage().rss;
  let [rssPeak, concurrent] = [rss0, 0];
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    concurrent = Math.max(concurrent, runtime.calls.count);
  }, 100);
  const pcap = join(dir, `rtp-${n}.pcap`);
  const capture: Capture | undefined = canCapture() ? await startCapture(pcap, RTP_PORTS) : undefined;
  const clock = await clockPhases(runtime, n);
  const sipp = await runCallers(dir, file, `127.0.0.1:${runtime.sip!.port}`, n);
  const phases = await clock.end();
  const captured = await capture?.stop();
  const received = captured ? jitterByPhase(pcap, phases, RTP_PORTS) : undefined;
  const onWire = captured ? digitToPromptOnWire(pcap, RTP_PORTS) : undefined;
  rmSync(pcap, { force: true });
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  await idle(runtime, 10_000);
  const s = await fromStore(runtime, since, n);
  const lost = n * DIGITS.length - s.digits;
  const p = (xs: number[]) => `p50 ${f1(pct(xs, 0.5))} ms p99 ${f1(pct(xs, 0.99))} ms`;
  const out = [
    `${String(n).padStart(4)} calls: completed ${s.complete}, failed ${sipp.failed} (sipp ok ${sipp.ok}, exit ${sipp.code}),` +
      ` peak concurrent ${concurrent} | digits sent ${n * DIGITS.length}, lost ${lost}, extra ${s.extra}` +
      ` | rows missing ${n - s.rows}`,
    ...phases.map(
      ({ name, stats: t, cpuPercent, load, mainDelay }) =>
        `      clock lateness (send-interval jitter), ${name}: p50 ${f1(t.lateP50)} ms p99 ${f1(t.lateP99)} ms` +
        ` max ${f1(t.lateMax)} ms; slot work p99 ${f1(t.workP99)} ms; skipped ticks ${t.skipped};` +
        ` main thread event-loop delay p99 ${f1(mainDelay.p99)} ms max ${f1(mainDelay.max)} ms;` +
        ` runtime CPU ${f1(cpuPercent)} %, load average ${load.toFixed(2)}`,
    ),
    ...(received
      ? received.map(
          (r) =>
            `      at the receiver (loopback capture, |inter-arrival - 20 ms|), ${r.name}: p50 ${f1(r.p50)} ms` +
            ` p99 ${f1(r.p99)} ms max ${f1(r.max)} ms over ${r.intervals} intervals`,
        )
      : ['      at the receiver: not measured (tcpdump missing: npm run bench installs it as root)']),
    ...(captured && captured.dropped > 0 ? [`      capture dropped ${captured.dropped} packets`] : []),
    `      call set-up (INVITE -> 200 OK at sipp) ${p(sipp.setup)} at ${Math.min(n, MAX_RATE)} calls/s`,
    `      digit-to-prompt ${p(s.toPrompt)}; without the check ${p(s.withoutCheck)}; check ${p(s.check)}` +
      ` (trace: keys collected -> prompt asked)`,
    ...(onWire
      ? [
          `      digit-to-prompt on the wire ${p(onWire)} over ${onWire.length} calls (key's first packet -> prompt's)`,
        ]
      : []),
    `      CPU ${f1((cpu.user + cpu.system) / 1000 / n)} ms per call (runtime process; sipp ${f1(sipp.cpuMs / n)}),` +
      ` RSS +${f1((rssPeak - rss0) / 1024 / n)} KiB per call above the round's start (peak ${f1(rssPeak / 1048576)} MiB)`,
  ];
  const jitter = Math.max(...phases.map((ph) => ph.stats.lateP99), ...(received ?? []).map((r) => r.p99));
  const toPrompt = Math.max(pct(s.toPrompt, 0.99), onWire ? pct(onWire, 0.99) : 0);
  const met = lost === 0 && n === s.rows && jitter <= 5 && toPrompt <= 40;
  out.push(
    `      targets (0 lost, 0 missing, jitter p99 <= 5 ms both ways, digit-to-prompt p99 <= 40 ms): ${met ? 'met' : 'NOT met'}`,
  );
  console.log(out.join('\n'));
}

async function main(): Promise<void> {
  const dir = tempDir('bench-calls-');
  const backend = await startBackend();
  const runtime = await startCallRuntime(dir, [{ id: 'bench', number: '1000', xml: flow(backend.port) }], {
    'sip.rtpPorts': RTP_PORTS,
    'sip.transports': ['udp'],
    // IVR_SIP_MEDIA_WORKER=false compares against media on the main thread.
    'sip.mediaWorker':
      process.env.IVR_SIP_MEDIA_WORKER !== 'false' && process.env.IVR_SIP_MEDIA_WORKER !== '0',
  });
  try {
    writeDigitsPcap(join(dir, 'digits.pcap'), DIGITS);
    const media = await runtime.mediaClock();
    console.log(`media: on the ${media?.thread === 'worker' ? 'media worker thread' : 'main thread'}`);
    console.log(
      `flow: 36 s prompt with barge-in, ${DIGITS} once every call of the round is up and has played 4 s,` +
        ' HTTP check, 3 s prompt, hang-up',
    );
    // A few calls first, so that the first round does not pay for loading code and decoding prompts.
    const warm = scenario(dir, 'uac_bench.xml', { DIR: dir, HOLD: '1000' });
    await runCallers(dir, warm, `127.0.0.1:${runtime.sip!.port}`, 5);
    for (const n of SIZES) await round(runtime, dir, n);
  } finally {
    await runtime.stop();
    backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
