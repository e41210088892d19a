// The manual's control API under load: EXTNUM_STATE with 1 000 extensions and CALL_LOG_QUERY over 100 000 call
// logs, requests per second beside a bare Hono handler answering the same JSON from memory (same run, same load
// generator in its own process), and the time from CLICK_TO_DIAL to the agent's phone ringing (p50/p99).
// Usage: npm run bench -- callctrl
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Hono } from 'hono';
import { listen } from '../runtime/api/app.ts';
import { startPhone } from '../test/calls/baresip.ts';
import { startCallRuntime, tempDir } from '../test/calls/harness.ts';

const EXTENSIONS = 1000;
const LOGS = 100_000;
const SECONDS = 5;
const CONNECTIONS = 8;
const DIALS = 40;

const pct = (xs: number[], q: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

/** Loads `url` from a child process (the runtime lives in this one, so its event loop must stay free). */
async function load(url: string): Promise<{ rps: number; errors: number }> {
  const tsx = join(import.meta.dirname, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const script = join(import.meta.dirname, 'http-load.ts');
  const { stdout } = await promisify(execFile)(process.execPath, [
    tsx,
    script,
    url,
    String(CONNECTIONS),
    String(SECONDS),
  ]);
  const out = JSON.parse(stdout) as { requests: number; errors: number; seconds: number };
  return { rps: out.requests / out.seconds, errors: out.errors };
}

/** A bare Hono handler answering `body` from memory: the ceiling of what the HTTP stack allows. */
async function bare(body: string) {
  const app = new Hono();
  app.get('/x', (c) => c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' }));
  return listen(app, '127.0.0.1', 0);
}

const dir = tempDir('ivr-bench-callctrl-');
const extensions = Array.from({ length: EXTENSIONS }, (_, i) => ({
  number: String(10000 + i),
  password: `pw-${10000 + i}-x`,
  name: `Agent ${i}`,
}));
const runtime = await startCallRuntime(dir, [], { extensions, 'log.level': 'silent' });
const base = `http://127.0.0.1:${runtime.http.port}`;
try {
  // 100 000 call logs over 100 days, two numbers each.
  const t0 = performance.now();
  const day = 24 * 3600 * 1000;
  const start = new Date('2026-01-01T00:00:00').getTime();
  const rows = Array.from({ length: LOGS }, (_, i) => ({
    callid: `bench-${i}@h`,
    caller: `138${String(i % 5000).padStart(8, '0')}`,
    callee: String(10000 + (i % EXTENSIONS)),
    direction: i % 3 === 0 ? 'outbound' : 'inbound',
    begin_time: start + Math.floor((i / LOGS) * 100 * day),
    state: 'STATE_RECEIVED',
    log_id: i + 1,
    call_type: 'LOCAL_CALL',
  }));
  for (let i = 0; i < rows.length; i += 2000)
    await runtime.store.db
      .insertInto('call_logs')
      .values(rows.slice(i, i + 2000))
      .execute();
  process.stdout.write(`seeded ${LOGS} call logs in ${((performance.now() - t0) / 1000).toFixed(1)} s\n\n`);

  const cases = [
    ['EXTNUM_STATE (1 000 extensions)', '/bridge/jsoncfg?opt=EXTNUM_STATE'],
    [
      'CALL_LOG_QUERY (100 of 100 000, a 30-day range)',
      '/bridge/callctrl?first=0&maxResults=100&beginDate=2026-02-01&endDate=2026-03-02&dirction=0&opt=CALL_LOG_QUERY',
    ],
    [
      'CALL_LOG_QUERY (one number in 100 000)',
      '/bridge/callctrl?first=0&maxResults=100&beginDate=2026-01-01&endDate=2026-04-30&telnum=13800000042&dirction=0&opt=CALL_LOG_QUERY',
    ],
  ];
  process.stdout.write(
    `| request | runtime req/s | bare Hono req/s | ratio | errors |\n|---|---|---|---|---|\n`,
  );
  for (const [name, path] of cases) {
    const body = await (await fetch(base + path)).text();
    const server = await bare(body);
    const ours = await load(base + path);
    const ceiling = await load(`http://127.0.0.1:${server.port}/x`);
    await server.close();
    process.stdout.write(
      `| ${name} (${(body.length / 1024).toFixed(0)} KiB) | ${ours.rps.toFixed(0)} | ${ceiling.rps.toFixed(0)} | ${(ours.rps / ceiling.rps).toFixed(2)}× | ${ours.errors} |\n`,
    );
  }

  // CLICK_TO_DIAL -> the agent's phone rings: a baresip agent registered as one of the extensions.
  const phone = await startPhone({
    user: '10000',
    registrar: `127.0.0.1:${runtime.sip!.port}`,
    password: 'pw-10000-x',
  });
  while (!runtime.calls.states.isRegistered('10000')) await new Promise((r) => setTimeout(r, 50));
  const times: number[] = [];
  for (let i = 1; i <= DIALS; i++) {
    const began = performance.now();
    const r = await fetch(`${base}/bridge/callctrl?caller=10000&callee=10001&opt=CLICK_TO_DIAL`);
    await r.text();
    await phone.nth('CALL_INCOMING', i);
    times.push(performance.now() - began);
    await fetch(`${base}/bridge/callctrl?caller=10000&callee=10001&opt=CLICK_TO_HUNGUP`);
    await phone.nth('CALL_CLOSED', i);
    while (runtime.calls.count > 0) await new Promise((r) => setTimeout(r, 10));
  }
  await phone.stop();
  process.stdout.write(
    `\nCLICK_TO_DIAL -> the agent's phone reports the call (${DIALS} dials): p50 ${pct(times, 0.5).toFixed(1)} ms, p99 ${pct(times, 0.99).toFixed(1)} ms\n`,
  );
} finally {
  await runtime.stop();
  rmSync(dir, { recursive: true, force: true });
}
