// Test helper: runs a flow on the real interpreter (runSession on a simulated leg and a virtual clock) with
// scripted keys, and routes its check requests through a CheckFn, so that each example's documented call
// paths are proven against the runtime's own semantics and the backend's real answers.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document, Item } from '../../schema/ast.ts';
import { runSession } from '../../runtime/interpreter/session.ts';
import type { TraceEvent } from '../../runtime/interpreter/trace.ts';
import { ScriptedCaller } from '../../runtime/media/sim/scripted-caller.ts';
import { SimLeg } from '../../runtime/media/sim/sim-leg.ts';
import { VirtualClock } from '../../runtime/media/sim/virtual-clock.ts';
import { SOUND_ROOT } from './flows.ts';

/** Answers a check: (check URL as written in the flow, input, form id, field name) -> the answer text. */
export type CheckFn = (url: string, input: string, form: string, field: string) => Promise<string>;

export interface WalkResult {
  /** Forms and menus entered, in order. */
  forms: string[];
  /** Audio srcs and interpolated TTS texts, in the order played (every play of a repeated prompt). */
  played: string[];
  /** Names of the recordings taken. */
  recorded: string[];
  /** How the call ended: `hangup` or `transfer:<dest>`. */
  end: string;
  vars: Map<string, string>;
}

/** An HTTP server standing in for every check URL of the flow: it hands each request to `check`. */
async function checkRelay(check: CheckFn): Promise<{ port: number; errors: unknown[]; server: Server }> {
  const errors: unknown[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://relay');
    const p = (name: string): string => url.searchParams.get(name) ?? '';
    check(p('orig'), p('input'), p('form'), p('field')).then(
      (answer) => res.end(answer),
      (err: unknown) => {
        errors.push(err);
        res.statusCode = 500;
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, errors, server };
}

function relayChecks(items: Item[], port: number): Item[] {
  return items.map((item) => {
    if (item.type === 'field' && item.check !== undefined) {
      return { ...item, check: `http://127.0.0.1:${port}/check?orig=${encodeURIComponent(item.check)}` };
    }
    if (item.type === 'if') {
      return {
        ...item,
        then: relayChecks(item.then, port),
        elseifs: item.elseifs.map((e) => ({ ...e, items: relayChecks(e.items, port) })),
        ...(item.else ? { else: relayChecks(item.else, port) } : {}),
      };
    }
    return item;
  });
}

/** Runs `document` with one scripted entry per field or menu (`''` = no key at all), checks through `check`. */
export async function walkCall(
  document: Document,
  keys: string[],
  check: CheckFn,
  vars: Record<string, string> = {},
): Promise<WalkResult> {
  const relay = await checkRelay(check);
  const recordings = mkdtempSync(join(tmpdir(), 'walk-'));
  try {
    const relayed = {
      ...document,
      forms: document.forms.map((f) => ({ ...f, items: relayChecks(f.items, relay.port) })),
    };
    const clock = new VirtualClock();
    const leg = new SimLeg({ clock, callId: 'walk@127.0.0.1', from: '13800138000', to: '4008001234' });
    const caller = new ScriptedCaller(leg, clock, keys.map((k) => (k === '' ? '_' : k)).join(','));
    const trace: TraceEvent[] = [];
    const result = await clock.run(
      runSession({
        document: relayed,
        leg,
        clock,
        soundRoot: SOUND_ROOT,
        vars,
        recordingsDir: recordings,
        // Every transfer is answered: the call leaves the IVR there.
        transfer: async () => ({ status: 'transferred' }),
        onTrace: (ev) => {
          trace.push(ev);
          caller.onTrace(ev);
        },
      }),
    );
    caller.stop();
    if (relay.errors.length > 0) throw relay.errors[0];
    const transfer = trace.find((e) => e.type === 'transfer' && e.status === 'transferred');
    return {
      forms: trace.filter((e) => e.type === 'form.enter').map((e) => e.form ?? ''),
      played: trace.flatMap((e) =>
        e.type === 'prompt.start' ? e.sources.map((s) => (s.startsWith('tts:') ? s.slice(4) : s)) : [],
      ),
      recorded: trace.flatMap((e) => (e.type === 'record' ? [e.name] : [])),
      end: transfer && transfer.type === 'transfer' ? `transfer:${transfer.dest}` : 'hangup',
      vars: new Map(Object.entries(result.vars)),
    };
  } finally {
    await new Promise((resolve) => relay.server.close(resolve));
    rmSync(recordings, { recursive: true, force: true });
  }
}
