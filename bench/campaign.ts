// Campaign bench: 1 000 IVR_TTS_CALL tasks (a survey greeting each customer by name with TTS, then asking for a
// key) dialled by the one dialer at 50 channels / 20 calls per second through a sipp trunk whose customers answer
// and press 8. Prints achieved calls per second, concurrency held, tasks lost, answer-to-result and key-to-result
// times, and the runtime's CPU and memory. The machine is shared: figures move with its load.
// Usage: npm run bench -- campaign   or   tsx bench/campaign.ts [tasks] [channels] [cps]
import { readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { TraceEvent } from '../runtime/interpreter/trace.ts';
import { startCallRuntime, tempDir } from '../test/calls/harness.ts';
import { SURVEY, SURVEY_IVR } from '../test/callcenter/dialer/center.ts';
import { startCustomers } from '../test/callcenter/dialer/customers.ts';

const [TASKS, CHANNELS, CPS] = [1000, 50, 20].map((d, i) => Number(process.argv[2 + i]) || d);

const pct = (xs: number[], q: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const p = (xs: number[]) => `p50 ${f1(pct(xs, 0.5))} ms, p99 ${f1(pct(xs, 0.99))} ms`;

/** CPU ms of a process from /proc (utime + stime; `children` adds reaped children: the espeak-ng runs). */
function cpuMsOf(pid: number | 'self', children = false): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks =
    Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks * 10;
}

/** Most calls started within any one second. */
function peakPerSecond(starts: number[]): number {
  let best = 0;
  let from = 0;
  for (let to = 0; to < starts.length; to++) {
    while (starts[to] - starts[from] >= 1000) from++;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

async function main(): Promise<void> {
  const dir = tempDir('bench-campaign-');
  const customers = await startCustomers({ keys: '8', keysAfterMs: 1500 });
  const runtime = await startCallRuntime(dir, [{ id: 'survey', number: SURVEY_IVR, xml: SURVEY }], {
    'sip.trunk': { host: '127.0.0.1', port: customers.port },
    'sip.transports': ['udp'],
    'sip.rtpPorts': { min: 30000, max: 31999 },
    'dialer.trunk': { channels: CHANNELS, callsPerSecond: CPS },
    'dialer.ringSec': 15,
    'dialer.retry': { maxAttempts: 1 },
    'dialer.maxQueued': TASKS,
  });
  const base = `http://127.0.0.1:${runtime.http.port}/bridge/callctrl?`;
  const { dialer } = runtime.calls;
  try {
    console.log(
      `${TASKS} IVR_TTS_CALL tasks, ${CHANNELS} channels, ${CPS} calls/s; each customer answers, hears its name ` +
        `(TTS, a different name each) and the rating prompt, presses 8 after 1.5 s; then the call ends`,
    );
    const [cpu0, children0, sipp0] = [
      cpuMsOf('self'),
      cpuMsOf('self', true) - cpuMsOf('self'),
      cpuMsOf(customers.pid),
    ];
    const rss0 = process.memoryUsage().rss;
    let rssPeak = rss0;
    let heapPeak = 0;
    const busy: number[] = [];
    let peak = 0;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      rssPeak = Math.max(rssPeak, m.rss);
      heapPeak = Math.max(heapPeak, m.heapUsed);
      peak = Math.max(peak, dialer.calling);
      // Concurrency while the queue still holds work: what the limits let through.
      if (dialer.queued > 0) busy.push(dialer.calling);
    }, 100);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const t0 = performance.now();
    const since = Date.now();
    let submitted = 0;
    // An integrator's server submitting with 8 requests in flight.
    let next = 0;
    const submitter = async () => {
      for (let i = next++; i < TASKS; i = next++) {
        const callee = `139${String(i).padStart(8, '0')}`;
        const name = encodeURIComponent(`客户${i}`);
        const r = await fetch(
          `${base}token=bench-${i}&callee=${callee}&toneid=${SURVEY_IVR}&ttsname=${name}&opt=IVR_TTS_CALL`,
        );
        if ((await r.text()) === '200\n') submitted++;
      }
    };
    await Promise.all(Array.from({ length: 8 }, submitter));
    const submitMs = performance.now() - t0;
    const deadline = Date.now() + 30 * 60_000;
    while ((dialer.queued > 0 || dialer.calling > 0) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    const wallS = (performance.now() - t0) / 1000;
    clearInterval(sampler);
    loop.disable();
    const cpu = cpuMsOf('self') - cpu0;
    const espeak = cpuMsOf('self', true) - cpuMsOf('self') - children0;
    const sipp = cpuMsOf(customers.pid) - sipp0;

    const tasks = (await runtime.store.dialerTasks.list(TASKS * 2)).filter((t) =>
      t.token.startsWith('bench-'),
    );
    const done = tasks.filter((t) => t.state !== 0 && t.state !== 4);
    const withKeys = done.filter((t) => t.state === 1 && t.result === 'satisfact=8');
    const states = new Map<number, number>();
    for (const t of done) states.set(t.state, (states.get(t.state) ?? 0) + 1);
    const answerToResult = done.flatMap((t) =>
      t.answeredAt !== null && t.finishedAt !== null ? [t.finishedAt - t.answeredAt] : [],
    );
    const logs = (await runtime.store.callLogs.list(TASKS * 2, 0)).filter(
      (l) => l.direction === 'outbound' && l.beginTime >= since,
    );
    // As the trunk saw them: when each INVITE reached sipp.
    const starts = customers
      .invites()
      .filter((i) => i.at >= since)
      .map((i) => i.at)
      .sort((a, b) => a - b);
    const byCall = new Map(done.map((t) => [t.callid, t]));
    const keyToResult: number[] = [];
    await runtime.store.traces.forEach(
      logs.map((l) => l.callid),
      (callid, raw) => {
        const e = raw as TraceEvent;
        const t = byCall.get(callid);
        if (e.type === 'collect.end' && e.digits !== '' && t?.finishedAt)
          keyToResult.push(t.finishedAt - e.t);
      },
    );
    const achieved =
      starts.length > 1 ? ((starts.length - 1) * 1000) / (starts[starts.length - 1] - starts[0]) : NaN;
    console.log(
      [
        `submitted ${submitted}/${TASKS} in ${f1(submitMs)} ms; campaign ${f1(wallS)} s` +
          ` (at ${CPS} calls/s it cannot take less than ${f1(TASKS / CPS)} s)`,
        `tasks lost ${TASKS - done.length} (stored ${tasks.length}, finished ${done.length});` +
          ` answered with the key back ${withKeys.length}; states ${JSON.stringify(Object.fromEntries(states))}`,
        `calls per second (INVITEs at the trunk): achieved ${f1(achieved)} (configured ${CPS}),` +
          ` most in any one second ${peakPerSecond(starts)}, INVITEs ${starts.length}`,
        `concurrency: peak ${peak} (configured ${CHANNELS}), while tasks waited p50 ${pct(busy, 0.5)} p10 ${pct(busy, 0.1)}`,
        `answer to result available: ${p(answerToResult)} (1.5 s of it is the customer waiting to press 8)`,
        `key to result available: ${p(keyToResult)}`,
        `runtime CPU ${f1(cpu / 1000)} s (${f1(cpu / TASKS)} ms per task, ${f1(cpu / wallS / 10)} % of one core);` +
          ` espeak-ng ${f1(espeak / 1000)} s; sipp ${f1(sipp / 1000)} s; load average ${loadavg()[0].toFixed(2)}`,
        `event loop delay: p50 ${f1(loop.percentile(50) / 1e6)} ms, p99 ${f1(loop.percentile(99) / 1e6)} ms, max ${f1(loop.max / 1e6)} ms`,
        `memory: RSS peak ${f1(rssPeak / 1048576)} MiB (+${f1((rssPeak - rss0) / 1048576)} MiB), heap peak ${f1(heapPeak / 1048576)} MiB`,
      ].join('\n'),
    );
  } finally {
    await runtime.stop();
    await customers.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
