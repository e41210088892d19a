// Live-call bench: the whole runtime (SIP, RTP, interpreter, store, HTTP checks to the examples backend) under N
// concurrent sipp callers that each listen to a prompt, press 0101 (RFC 4733) and hear the next prompt.
// Prints calls completed/failed, digits lost, call-log rows missing, media clock jitter, digit-to-prompt latency,
// and CPU and memory per call. Usage: npm run bench -- calls   or   tsx bench/calls.ts [50 200 500]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sharedMediaClock, type TickStats } from '../runtime/media/embedded/rtp/clock.ts';
import type { Runtime } from '../runtime/server.ts';
import type { TraceEvent } from '../runtime/interpreter/trace.ts';
import { freeMediaPort, SIPP_DIR } from '../test/media/embedded/sip/peers.ts';
import { ROOT, scenario, startCallRuntime, tempDir } from '../test/calls/harness.ts';
import { writeDigitsPcap } from '../test/calls/pcap.ts';

const ROUNDS = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
const SIZES = ROUNDS.length > 0 ? ROUNDS : [50, 200, 500];
const DIGITS = '0101';
/** Each caller listens this long before pressing keys, so every call of a round is up at the same time. */
const HOLD_MS = 8000;
const MAX_RATE = 100;

// The menu prompt (12 s, barge-in) is playing on every call when the keys arrive; after the item check the
// announcement starts: collect.end -> prompt.start is the digit-to-prompt time.
const flow = (backend: number) => `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="item" length="4" inputexpires="20000"
      check="http://127.0.0.1:${backend}/Oms/StateHttpTestServlet?a=preOrder">
      <tns:prompt bargein="true"><tns:audio src="[FILE_PATH]/delicious/menu.wav"/></tns:prompt>
    </tns:field>
    <tns:prompt bargein="false"><tns:audio src="[FILE_PATH]/delicious/goods_ok_prefix.wav"/></tns:prompt>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

const pct = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

/** Runs sipp for `n` calls; resolves with its successful/failed counts from its statistics file. */
async function runCallers(dir: string, file: string, target: string, n: number) {
  const mp = await freeMediaPort();
  const stats = join(dir, `stats-${n}.csv`);
  const rate = Math.min(n, MAX_RATE);
  const args = [target, '-sf', join(SIPP_DIR, file), '-s', '1000', '-m', String(n), '-l', String(n)];
  args.push('-r', String(rate), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-mp', String(mp), '-t', 'u1');
  args.push('-timeout', '120s', '-timeout_error', '-nostdin', '-trace_stat', '-stf', stats, '-fd', '1');
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
  // The load generator shares the 2 cores: its CPU time (utime + stime, in 1/100 s) is reported beside ours.
  let cpuMs = 0;
  const sampler = setInterval(() => {
    try {
      const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpuMs = (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // Exited between samples: the last value stands.
    }
  }, 200);
  const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
  clearInterval(sampler);
  if (!existsSync(stats)) return { code, ok: NaN, failed: NaN, cpuMs };
  const lines = readFileSync(stats, 'utf8').trim().split('\n');
  const head = lines[0].split(';');
  const last = lines[lines.length - 1].split(';');
  const col = (name: string) => Number(last[head.indexOf(name)]);
  return { code, ok: col('SuccessfulCall(C)'), failed: col('FailedCall(C)'), cpuMs };
}

/** Per-call figures from the store: rows, digits heard, digit-to-prompt with and without the check's time. */
async function fromStore(runtime: Runtime, since: number) {
  const rows = (await runtime.store.callLogs.list(5000, 0)).filter((r) => r.beginTime >= since);
  const toPrompt: number[] = [];
  const withoutCheck: number[] = [];
  const check: number[] = [];
  let digits = 0;
  let extra = 0;
  let call = '';
  let collectedAt: number | undefined;
  let checkMs = 0;
  await runtime.store.traces.forEach(
    rows.map((r) => r.callid),
    (id, raw) => {
      const e = raw as TraceEvent;
      if (id !== call) [call, collectedAt, checkMs] = [id, undefined, 0];
      if (e.type === 'collect.end') {
        digits += Math.min(e.digits.length, DIGITS.length);
        extra += Math.max(0, e.digits.length - DIGITS.length);
        collectedAt = e.t;
      } else if (e.type === 'check.request') checkMs = -e.t;
      else if (e.type === 'check.response') {
        checkMs += e.t;
        check.push(e.latencyMs);
      } else if (e.type === 'prompt.start' && collectedAt !== undefined) {
        toPrompt.push(e.t - collectedAt);
        withoutCheck.push(e.t - collectedAt - checkMs);
        collectedAt = undefined;
      }
    },
  );
  const complete = rows.filter((r) => r.state === 'STATE_RECEIVED' && r.endReason === 'hangup').length;
  return { rows: rows.length, complete, digits, extra, toPrompt, withoutCheck, check };
}

/** Media clock lateness per phase of a round: calls arriving, every call playing, keys/checks/hang-ups. */
function clockPhases(n: number) {
  const clock = sharedMediaClock();
  clock.resetStats();
  const phases: { name: string; stats: TickStats; cpuPercent: number; load: number }[] = [];
  let skippedBefore = clock.stats().skipped;
  let [cpuBefore, wallBefore] = [process.cpuUsage(), performance.now()];
  // `skipped` counts since the clock started; the percentiles since the last reset. CPU % of this process and
  // the machine's load average say whether late ticks come from our own work or from other processes.
  const close = (name: string) => {
    const stats = clock.stats();
    const cpu = process.cpuUsage(cpuBefore);
    const cpuPercent = (cpu.user + cpu.system) / 10 / (performance.now() - wallBefore);
    phases.push({
      name,
      stats: { ...stats, skipped: stats.skipped - skippedBefore },
      cpuPercent,
      load: loadavg()[0],
    });
    [skippedBefore, cpuBefore, wallBefore] = [stats.skipped, process.cpuUsage(), performance.now()];
    clock.resetStats();
  };
  const rampMs = (n / Math.min(n, MAX_RATE)) * 1000;
  const timers = [
    setTimeout(() => close('calls arriving'), rampMs),
    setTimeout(() => close('all playing'), HOLD_MS),
  ];
  return {
    end(): typeof phases {
      timers.forEach(clearTimeout);
      close('keys, checks, hang-ups');
      return phases;
    },
  };
}

async function round(runtime: Runtime, dir: string, file: string, n: number): Promise<void> {
  const since = Date.now();
  const cpu0 = process.cpuUsage();
  const rss0 = process.memoryUsage().rss;
  let [rssPeak, concurrent] = [rss0, 0];
  const sampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    concurrent = Math.max(concurrent, runtime.calls.count);
  }, 100);
  const clock = clockPhases(n);
  const sipp = await runCallers(dir, file, `127.0.0.1:${runtime.sip!.port}`, n);
  const phases = clock.end();
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpu0);
  const deadline = Date.now() + 10_000;
  while (runtime.calls.count > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const s = await fromStore(runtime, since);
  const lost = n * DIGITS.length - s.digits;
  const p = (xs: number[]) => `p50 ${f1(pct(xs, 0.5))} ms p99 ${f1(pct(xs, 0.99))} ms`;
  const out = [
    `${String(n).padStart(4)} calls: completed ${s.complete}, failed ${sipp.failed} (sipp ok ${sipp.ok}, exit ${sipp.code}),` +
      ` peak concurrent ${concurrent} | digits sent ${n * DIGITS.length}, lost ${lost}, extra ${s.extra}` +
      ` | rows missing ${n - s.rows}`,
    ...phases.map(
      ({ name, stats: t, cpuPercent, load }) =>
        `      clock lateness (send-interval jitter), ${name}: p50 ${f1(t.lateP50)} ms p99 ${f1(t.lateP99)} ms` +
        ` max ${f1(t.lateMax)} ms; tick work p99 ${f1(t.workP99)} ms; skipped ticks ${t.skipped};` +
        ` runtime CPU ${f1(cpuPercent)} %, load average ${load.toFixed(2)}`,
    ),
    `      digit-to-prompt ${p(s.toPrompt)}; without the check ${p(s.withoutCheck)}; check ${p(s.check)}`,
    `      CPU ${f1((cpu.user + cpu.system) / 1000 / n)} ms per call (runtime process; sipp ${f1(sipp.cpuMs / n)}),` +
      ` RSS +${f1((rssPeak - rss0) / 1048576 / n)} MiB per call (peak ${f1(rssPeak / 1048576)} MiB)`,
  ];
  const jitter = Math.max(...phases.map((ph) => ph.stats.lateP99));
  const met = lost === 0 && n === s.rows && jitter <= 5 && pct(s.toPrompt, 0.99) <= 40;
  out.push(
    `      targets (0 lost, 0 missing, jitter p99 <= 5 ms, digit-to-prompt p99 <= 40 ms): ${met ? 'met' : 'NOT met'}`,
  );
  console.log(out.join('\n'));
}

/** The examples backend in a process of its own, as an integrator's would be (not sharing our event loop). */
async function startBackend(): Promise<{ port: number; stop: () => void }> {
  const tsx = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
  const child = spawn(process.execPath, [tsx, join(ROOT, 'examples/serve.ts'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((done, fail) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /backend on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
      if (m) done(Number(m[1]));
    });
    child.once('exit', (code) => fail(new Error(`examples backend exited (${code})`)));
  });
  return { port, stop: () => child.kill('SIGTERM') };
}

async function main(): Promise<void> {
  const dir = tempDir('bench-calls-');
  const backend = await startBackend();
  const runtime = await startCallRuntime(dir, [{ id: 'bench', number: '1000', xml: flow(backend.port) }], {
    'sip.rtpPorts': { min: 30000, max: 31999 },
    'sip.transports': ['udp'],
  });
  try {
    writeDigitsPcap(join(dir, 'digits.pcap'), DIGITS);
    const file = scenario(dir, 'uac_bench.xml', { DIR: dir, HOLD: String(HOLD_MS) });
    console.log(
      `flow: 12 s prompt with barge-in, ${DIGITS} after ${HOLD_MS} ms, HTTP check, 3 s prompt, hang-up`,
    );
    // A few calls first, so that the first round does not pay for loading code and decoding prompts.
    await runCallers(dir, file, `127.0.0.1:${runtime.sip!.port}`, 5);
    for (const n of SIZES) await round(runtime, dir, file, n);
  } finally {
    await runtime.stop();
    backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
