// Test harness: runs a document on a SimLeg and a VirtualClock with a scripted caller; sounds in a temp dir.
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Document, Form, Item } from '../../schema/ast.ts';
import { parse } from '../../schema/parse.ts';
import { ScriptedCaller } from '../../runtime/media/sim/scripted-caller.ts';
import { SimLeg } from '../../runtime/media/sim/sim-leg.ts';
import { VirtualClock } from '../../runtime/media/sim/virtual-clock.ts';
import { writeSilentWav } from '../../runtime/media/sim/wav.ts';
import { runSession, type SessionOptions, type SessionResult } from '../../runtime/interpreter/session.ts';
import type { TraceEvent } from '../../runtime/interpreter/trace.ts';

/** A temp sound root with WAV files of known length: a.wav 1000 ms, b.wav 2000 ms, long.wav 10 000 ms. */
export function makeSounds(): { root: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'ivr-sounds-'));
  const files: Record<string, number> = { 'a.wav': 1000, 'b.wav': 2000, 'long.wav': 10_000, 'x/c.wav': 500 };
  for (const [name, ms] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeSilentWav(join(root, name), ms);
  }
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** A document from forms. */
export function doc(...forms: Form[]): Document {
  return { type: 'document', forms };
}

export function form(id: string, ...items: Item[]): Form {
  return { type: 'form', kind: 'form', id, items };
}

/** Wraps tns:vxml body text into a document and parses it. */
export function xml(body: string): Document {
  return parse(
    `<?xml version="1.0" encoding="UTF-8"?>\n<tns:vxml xmlns:tns="http://www.example.org/voicemail">${body}</tns:vxml>`,
  );
}

export interface Run {
  result: SessionResult;
  trace: TraceEvent[];
  leg: SimLeg;
  clock: VirtualClock;
  caller: ScriptedCaller;
  of<T extends TraceEvent['type']>(type: T): Extract<TraceEvent, { type: T }>[];
}

export interface RunOptions extends Partial<Omit<SessionOptions, 'document' | 'leg' | 'clock'>> {
  keys?: string;
  /** Called with every trace event after the scripted caller saw it. */
  onEvent?: (ev: TraceEvent, run: { leg: SimLeg; clock: VirtualClock }) => void;
  callId?: string;
}

/** Runs `document` to its end on virtual time. */
export async function simulate(document: Document, opts: RunOptions = {}): Promise<Run> {
  const clock = new VirtualClock();
  const leg = new SimLeg({ clock, callId: opts.callId ?? 'call-1@test', from: '13800000000', to: '4000' });
  const caller = new ScriptedCaller(leg, clock, opts.keys ?? '');
  const trace: TraceEvent[] = [];
  const { keys: _k, onEvent, callId: _c, ...rest } = opts;
  const session = runSession({
    soundRoot: '/nonexistent',
    ...rest,
    document,
    leg,
    clock,
    onTrace: (ev) => {
      trace.push(ev);
      caller.onTrace(ev);
      onEvent?.(ev, { leg, clock });
    },
  });
  const result = await clock.run(session);
  caller.stop();
  const of = <T extends TraceEvent['type']>(type: T) =>
    trace.filter((e): e is Extract<TraceEvent, { type: T }> => e.type === type);
  return { result, trace, leg, clock, caller, of };
}

/** Asserts nothing of the session is left: timers, holds, leg listeners. */
export function leftovers(run: Run): { timers: number; holds: number; listeners: number } {
  return {
    timers: run.clock.pendingTimers(),
    holds: run.clock.pendingHolds(),
    listeners: run.leg.listenerCount(),
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

export interface CheckServer {
  url: string;
  requests: URL[];
  close(): Promise<void>;
  server: Server;
}

/** A real HTTP check server on 127.0.0.1 and an ephemeral port. */
export function checkServer(handler: Handler): Promise<CheckServer> {
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    handler(req, res, url);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        requests,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** The document with every check URL on 127.0.0.1:8080 moved to `port` (the example backend in a test). */
export function withCheckPort(document: Document, port: number): Document {
  const moveItems = (items: Item[]): Item[] =>
    items.map((item) => {
      if (item.type === 'field' && item.check) {
        return { ...item, check: item.check.replace('//127.0.0.1:8080/', `//127.0.0.1:${port}/`) };
      }
      if (item.type === 'if') {
        return {
          ...item,
          then: moveItems(item.then),
          elseifs: item.elseifs.map((e) => ({ ...e, items: moveItems(e.items) })),
          ...(item.else ? { else: moveItems(item.else) } : {}),
        };
      }
      return item;
    });
  return { ...document, forms: document.forms.map((f) => ({ ...f, items: moveItems(f.items) })) };
}
