// Live-call test harness: the runtime with published flows, the food-ordering flow against a given backend,
// sipp scenarios filled in from templates, cues sent to a waiting sipp, and a watch on the calls as they run.
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parse } from '../../schema/parse.ts';
import { serialize } from '../../schema/serialize.ts';
import { loadConfig } from '../../runtime/config/load.ts';
import { createLogger } from '../../runtime/log.ts';
import { startRuntime, type Runtime } from '../../runtime/server.ts';
import type { CallLog } from '../../runtime/callcenter/store/call-logs.ts';
import type { TraceEvent } from '../../runtime/interpreter/trace.ts';
import { freeUdpPort, runSipp, SIPP_DIR, waitFor, type SippRun } from '../media/embedded/sip/peers.ts';

export const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(import.meta.dirname, 'fixtures');

export interface PublishedFlow {
  id: string;
  /** The called number routed to it. */
  number: string;
  xml: string;
}

/** The runtime on ephemeral loopback ports with its store in `dir`, and `flows` published and routed. */
export async function startCallRuntime(
  dir: string,
  flows: readonly PublishedFlow[],
  overrides: Record<string, unknown> = {},
): Promise<Runtime> {
  const config = loadConfig({
    env: {},
    overrides: {
      db: join(dir, 'ivr.db'),
      recordings: join(dir, 'rec'),
      voicemail: join(dir, 'voicemail'),
      sounds: join(ROOT, 'sounds'),
      'http.port': 0,
      'sip.port': 0,
      'sip.host': '127.0.0.1',
      'http.host': '127.0.0.1',
      ...overrides,
    },
  });
  const runtime = await startRuntime(config, { log: createLogger('silent') });
  for (const f of flows) {
    await runtime.store.flows.create({ id: f.id, name: f.id, xml: f.xml, now: Date.now() });
    await runtime.store.flows.addVersion(f.id, { xml: f.xml, now: Date.now() });
    await runtime.store.routes.upsert({ number: f.number, flowId: f.id });
  }
  return runtime;
}

/** Points every check URL of `xml` at `origin` (e.g. `http://127.0.0.1:41234`), keeping path and query. */
export function withCheckOrigin(xml: string, origin: string): string {
  const doc = parse(xml);
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const rec = node as Record<string, unknown>;
    if (rec.type === 'field' && typeof rec.check === 'string') {
      const url = new URL(rec.check);
      rec.check = `${origin}${url.pathname}${url.search}`;
    }
    Object.values(rec).forEach(visit);
  };
  visit(doc);
  return serialize(doc);
}

/** The manual's food-ordering flow with its check URLs on the examples backend at `port`. */
export function foodOrderingFlow(port: number): string {
  const xml = readFileSync(join(ROOT, 'examples/food-ordering/flow.xml'), 'utf8');
  return withCheckOrigin(xml, `http://127.0.0.1:${port}`);
}

/**
 * Fills `{{NAME}}` in a scenario of fixtures/sipp with `vars` and writes it to `dir`; returns its path relative
 * to the embedded engine's scenario folder, which is how runSipp names scenarios.
 */
export function scenario(dir: string, name: string, vars: Record<string, string> = {}): string {
  let text = readFileSync(join(FIXTURES, 'sipp', name), 'utf8');
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{{${k}}}`, v);
  const left = /\{\{(\w+)\}\}/.exec(text);
  if (left) throw new Error(`${name}: no value for {{${left[1]}}}`);
  const file = join(dir, name);
  writeFileSync(file, text);
  return relative(SIPP_DIR, file);
}

/** A fresh temporary directory. */
export const tempDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** The Call-ID sipp gives its first call with `-cid_str <cueCallId>` (no `%` in it: the same for every call). */
export const CUE_CALL_ID = 'cue-call@127.0.0.1';

let cueRuns = 0;

/**
 * Runs a `*_on_cue.xml` scenario of fixtures/sipp (filled in with `vars`) on a known SIP port with the cue
 * Call-ID. `cue()` waits until the caller waits for a cue (the scenario touches a file then; the file is taken
 * away so a scenario with several cues can touch it again), then moves it on.
 */
export async function runCueSipp(
  dir: string,
  name: string,
  target: string,
  opts: { service: string; timeoutSec?: number; vars?: Record<string, string> },
): Promise<SippRun & { cue: () => Promise<void> }> {
  const readyFile = join(dir, `ready-${++cueRuns}`);
  const file = scenario(dir, name, { ...opts.vars, READY: readyFile });
  const port = await freeUdpPort();
  const run = await runSipp(file, target, {
    service: opts.service,
    timeoutSec: opts.timeoutSec ?? 30,
    extra: ['-p', String(port), '-cid_str', CUE_CALL_ID],
  });
  const whenReady = async () => {
    await waitFor(() => existsSync(readyFile), 15_000, 'sipp to wait for its cue');
    rmSync(readyFile);
    await cue(port);
  };
  return { ...run, cue: whenReady };
}

/** Sends the out-of-band INFO that a `*_on_cue.xml` scenario waits for to sipp's SIP port. */
export async function cue(sippPort: number, callId = CUE_CALL_ID): Promise<void> {
  const msg = [
    `INFO sip:sipp@127.0.0.1:${sippPort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-cue-${Date.now()}`,
    'From: <sip:test@127.0.0.1>;tag=cue',
    'To: <sip:sipp@127.0.0.1>',
    `Call-ID: ${callId}`,
    'CSeq: 1 INFO',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const s = createSocket('udp4');
  await new Promise<void>((done, fail) =>
    s.send(msg, sippPort, '127.0.0.1', (err) => (err ? fail(err) : done())),
  );
  s.close();
}

/** What the runtime's calls do, seen as it happens: every trace event and every key the caller's leg reports. */
export interface CallWatch {
  events: TraceEvent[];
  digits: string;
  /** Resolves with the first event (already seen or to come) that `match` accepts. */
  until(match: (ev: TraceEvent) => boolean, what: string, ms?: number): Promise<TraceEvent>;
}

/**
 * Watches every call `runtime` takes from now on, on the call center's event bus (trace events) and each
 * customer leg's `dtmf` event: the real calls run unchanged, the test only listens (to cue a caller when a field
 * accepts keys).
 */
export function watchCalls(runtime: Runtime): CallWatch {
  const { bus, registry } = runtime.calls;
  const watch: CallWatch = {
    events: [],
    digits: '',
    until: (match, what, ms = 30_000) => waitFor(() => watch.events.find(match), ms, what),
  };
  const heard = new Set<string>();
  bus.on('call.trace', (ev) => void watch.events.push(ev.event));
  bus.on('leg.changed', (ev) => {
    if (ev.leg.role !== 'customer' || heard.has(ev.leg.legId)) return;
    const media = registry.get(ev.call.callId)?.customer?.media;
    if (!media) return;
    heard.add(ev.leg.legId);
    media.on('dtmf', (e) => (watch.digits += e.digit));
  });
  return watch;
}

/** Polls an async `check` until it is true or the deadline passes (peers.ts' waitFor takes sync checks). */
export async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** GET a JSON document from the runtime's HTTP API; throws on a non-2xx answer. */
export async function getJson<T>(port: number, path: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The newest call log and its trace, through the HTTP API. */
export async function lastCall(port: number): Promise<{ row: CallLog; trace: TraceEvent[] }> {
  const { calls } = await getJson<{ calls: CallLog[] }>(port, '/api/calls?limit=1');
  if (!calls[0]) throw new Error('no call logged');
  const id = encodeURIComponent(calls[0].callid);
  const row = await getJson<CallLog>(port, `/api/calls/${id}`);
  const trace = await getJson<TraceEvent[]>(port, `/api/calls/${id}/trace`);
  return { row, trace };
}

/** Events of one type, narrowed. */
export function eventsOf<K extends TraceEvent['type']>(
  trace: readonly TraceEvent[],
  type: K,
): Extract<TraceEvent, { type: K }>[] {
  return trace.filter((e): e is Extract<TraceEvent, { type: K }> => e.type === type);
}
