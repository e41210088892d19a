// What the live-call benchmarks share: the bench flow, sipp load callers, per-call figures read back from the
// store, and the examples backend in a process of its own.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Runtime } from '../runtime/server.ts';
import type { TraceEvent } from '../runtime/interpreter/trace.ts';
import { freeMediaPort, SIPP_DIR } from '../test/media/embedded/sip/peers.ts';
import { ROOT } from '../test/calls/harness.ts';

/** The keys every bench caller presses (RFC 4733, from a pcap). */
export const DIGITS = '0101';
/** sipp never places more than this many calls per second. */
export const MAX_RATE = 100;

// The menu prompt (3 × 12 s, barge-in) is playing on every call when the keys arrive; after the item check the
// announcement starts: collect.end -> prompt.start is the digit-to-prompt time.
export const flow = (backend: number) => `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="item" length="4" inputexpires="20000"
      check="http://127.0.0.1:${backend}/Oms/StateHttpTestServlet?a=preOrder">
      <tns:prompt bargein="true">
        <tns:audio src="[FILE_PATH]/delicious/menu.wav"/>
        <tns:audio src="[FILE_PATH]/delicious/menu.wav"/>
        <tns:audio src="[FILE_PATH]/delicious/menu.wav"/>
      </tns:prompt>
    </tns:field>
    <tns:prompt bargein="false"><tns:audio src="[FILE_PATH]/delicious/goods_ok_prefix.wav"/></tns:prompt>
    <tns:hangup/>
  </tns:form>
</tns:vxml>`;

export const pct = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
export const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

/** Runs sipp for `n` calls; resolves with its successful/failed counts from its statistics file. */
export async function runCallers(
  dir: string,
  file: string,
  target: string,
  n: number,
  opts: { concurrent?: number; rate?: number } = {},
) {
  const mp = await freeMediaPort();
  const stats = join(dir, `stats-${n}.csv`);
  const rate = opts.rate ?? Math.min(n, MAX_RATE);
  const limit = opts.concurrent ?? n;
  const args = [target, '-sf', join(SIPP_DIR, file), '-s', '1000', '-m', String(n), '-l', String(limit)];
  args.push('-r', String(rate), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-mp', String(mp), '-t', 'u1');
  // sipp's -timeout is global (the whole run, not one call): the time to place every call, plus the calls' own.
  const timeout = Math.ceil(n / rate) + 180;
  args.push(
    '-timeout',
    `${timeout}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_stat',
    '-stf',
    stats,
    '-fd',
    '1',
  );
  // Every call's INVITE -> 200 OK time (the scenario's rtd), written as calls end.
  args.push('-trace_rtt', '-rtt_freq', '1');
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
  const setup = answerTimes(dir, file, child.pid!);
  if (!existsSync(stats)) return { code, ok: NaN, failed: NaN, cpuMs, setup };
  const lines = readFileSync(stats, 'utf8').trim().split('\n');
  const head = lines[0].split(';');
  const last = lines[lines.length - 1].split(';');
  const col = (name: string) => Number(last[head.indexOf(name)]);
  return { code, ok: col('SuccessfulCall(C)'), failed: col('FailedCall(C)'), cpuMs, setup };
}

/**
 * INVITE -> 200 OK per call (ms) from sipp's `<scenario>_<pid>_rtt.csv`: `Date_ms;response_time_ms;rtd_no`
 * (Debian's sipp 3.6 writes whole milliseconds of its own clock).
 */
function answerTimes(dir: string, file: string, pid: number): number[] {
  const path = join(dir, `${basename(file, '.xml')}_${pid}_rtt.csv`);
  if (!existsSync(path)) return [];
  const times = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => Number(line.split(';')[1]));
  rmSync(path, { force: true });
  return times.filter((t) => Number.isFinite(t));
}

/** Per-call figures from the store: rows, digits heard, digit-to-prompt with and without the check's time. */
export async function fromStore(runtime: Runtime, since: number, expected: number) {
  const rows = (await runtime.store.callLogs.list(expected + 1000, 0)).filter((r) => r.beginTime >= since);
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

/** The examples backend in a process of its own, as an integrator's would be (not sharing our event loop). */
export async function startBackend(): Promise<{ port: number; stop: () => void }> {
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

/** Waits until the runtime holds no call (the last BYEs are in flight when sipp exits), up to `ms`; the calls left. */
export async function idle(runtime: Runtime, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  while (runtime.calls.count > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  return runtime.calls.count;
}
