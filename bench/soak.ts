// Soak: 10 000 calls of the calls benchmark's flow, 200 at a time, through one runtime. Prints digits lost, call-log
// rows missing, RSS and heap at the start and at the end (after a full GC, once warm, once idle again and once SIP's
// transactions are gone), and the file descriptors and timers still open after the last call compared with before
// the first.
// Usage: npm run bench -- soak   or   tsx bench/soak.ts [calls] [concurrent]
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { scenario, startCallRuntime, tempDir } from '../test/calls/harness.ts';
import { writeDigitsPcap } from '../test/calls/pcap.ts';
import type { Runtime } from '../runtime/server.ts';
import { DIGITS, f1, flow, fromStore, idle, pct, runCallers, startBackend } from './call-load.ts';

const [CALLS = 10_000, CONCURRENT = 200] = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
/** Short listening before the keys, so the soak is many calls rather than long ones. */
const HOLD_MS = 1000;
const WARM_UP = 400;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Snapshot {
  rss: number;
  heap: number;
  fds: number;
  timers: number;
  handles: number;
}

/** Process resources once garbage is collected (twice: finalisers free more on the second pass). */
function snapshot(): Snapshot {
  gc();
  gc();
  const resources = process.getActiveResourcesInfo();
  const mem = process.memoryUsage();
  return {
    rss: mem.rss,
    heap: mem.heapUsed,
    fds: readdirSync('/proc/self/fd').length,
    timers: resources.filter((r) => r === 'Timeout' || r === 'Immediate').length,
    handles: resources.length,
  };
}

const mib = (b: number) => f1(b / 1048576);

/** The runtime holds no call any more (resources are compared idle to idle). */
async function noCallsLeft(runtime: Runtime): Promise<void> {
  const left = await idle(runtime, 30_000);
  if (left > 0) throw new Error(`${left} calls still up 30 s after the last`);
}

async function main(): Promise<void> {
  const dir = tempDir('bench-soak-');
  const backend = await startBackend();
  const runtime = await startCallRuntime(dir, [{ id: 'bench', number: '1000', xml: flow(backend.port) }], {
    'sip.rtpPorts': { min: 20000, max: 29999 },
    'sip.transports': ['udp'],
  });
  try {
    writeDigitsPcap(join(dir, 'digits.pcap'), DIGITS);
    const file = scenario(dir, 'uac_bench.xml', { DIR: dir, HOLD: String(HOLD_MS) });
    const target = `127.0.0.1:${runtime.sip!.port}`;
    console.log(
      `soak: ${CALLS} calls, ${CONCURRENT} at a time; each listens ${HOLD_MS} ms, presses ${DIGITS}, waits for the` +
        ' check, hears a 3 s prompt and is hung up',
    );
    // Warm: code loaded, prompts decoded, pools and caches at their working size.
    await runCallers(dir, file, target, WARM_UP, { concurrent: CONCURRENT, rate: 50 });
    await noCallsLeft(runtime);
    const before = snapshot();
    const workerBefore = await runtime.mediaWorker();
    const since = Date.now();
    const started = performance.now();
    const sipp = await runCallers(dir, file, target, CALLS, { concurrent: CONCURRENT, rate: 50 });
    const seconds = (performance.now() - started) / 1000;
    await noCallsLeft(runtime);
    const after = snapshot();
    // SIP keeps a finished transaction's state for up to 32 s over UDP (RFC 3261 timer J), with its timer and last
    // response: memory measured at once still holds the last calls' transactions.
    await new Promise((r) => setTimeout(r, 35_000));
    const settled = snapshot();
    // The media worker's heap is its own (not collected by the gc() above): its maps and handles show a leak.
    const workerAfter = await runtime.mediaWorker();
    const s = await fromStore(runtime, since, CALLS);
    const lost = CALLS * DIGITS.length - s.digits;
    console.log(
      [
        `${CALLS} calls in ${f1(seconds)} s: completed ${s.complete}, failed ${sipp.failed} (sipp ok ${sipp.ok},` +
          ` exit ${sipp.code}) | digits lost ${lost}, extra ${s.extra} | rows missing ${CALLS - s.rows}`,
        `      RSS ${mib(before.rss)} -> ${mib(after.rss)} MiB (${after.rss >= before.rss ? '+' : ''}` +
          `${mib(after.rss - before.rss)}); heap used ${mib(before.heap)} -> ${mib(after.heap)} MiB`,
        `      35 s later (SIP transactions gone): RSS ${mib(settled.rss)} MiB` +
          ` (${settled.rss >= before.rss ? '+' : ''}${mib(settled.rss - before.rss)}); heap used` +
          ` ${mib(settled.heap)} MiB (${settled.heap >= before.heap ? '+' : ''}${mib(settled.heap - before.heap)})`,
        `      left after the last call: file descriptors ${after.fds - before.fds} (${before.fds} -> ${after.fds}),` +
          ` timers ${after.timers - before.timers}, active handles ${after.handles - before.handles}`,
        workerBefore && workerAfter
          ? `      media worker: sessions ${workerBefore.sessions} -> ${workerAfter.sessions}, mixers` +
            ` ${workerAfter.mixers}, ports ${workerAfter.ports}, requests waiting ${workerAfter.waiting},` +
            ` timers ${workerBefore.timers} -> ${workerAfter.timers}, handles ${workerBefore.handles} ->` +
            ` ${workerAfter.handles}, heap used ${mib(workerBefore.heapUsed)} -> ${mib(workerAfter.heapUsed)} MiB`
          : '      media worker: off (media on the main thread)',
        `      digit-to-prompt p50 ${f1(pct(s.toPrompt, 0.5))} ms p99 ${f1(pct(s.toPrompt, 0.99))} ms;` +
          ` call set-up p99 ${f1(pct(sipp.setup, 0.99))} ms`,
      ].join('\n'),
    );
  } finally {
    await runtime.stop();
    backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
