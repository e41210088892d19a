// `ivr simulate FILE [--keys SCRIPT] [--var n=v]… …`: runs a document on virtual time and prints its trace.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { checkDocument } from '../../../schema/check.ts';
import type { TransferStatus } from '../../interpreter/context.ts';
import { runSession, type SessionOptions } from '../../interpreter/session.ts';
import type { EndReason, TraceEvent } from '../../interpreter/trace.ts';
import { parseKeyScript, ScriptedCaller, type KeyTurn } from '../../media/sim/scripted-caller.ts';
import { SimLeg } from '../../media/sim/sim-leg.ts';
import { VirtualClock } from '../../media/sim/virtual-clock.ts';
import { problemLine, readDocument } from './validate.ts';

const USAGE = `usage: ivr simulate FILE [--keys SCRIPT] [--var NAME=VALUE]… [--sounds DIR] [--caller N] [--callee N]
                    [--callid ID] [--check-timeout MS] [--recordings DIR] [--transfer STATUS]
  --keys      comma-separated turns, one per input wait: keys (0-9 * # A-D), '_' = let it time out,
              a final '!' = hang up; when the turns run out the caller stays silent
  --transfer  outcome of every <tns:transfer>: transferred, busy, no-answer, not-found, unavailable, failed
              (default: no transfer handler, so transfers fail and the flow goes on)
  --sounds    the sound root [FILE_PATH] stands for (default ./sounds); --recordings: where <tns:record> writes
Prints the trace as JSON lines on virtual time (check URLs are called for real), the last line being
{"type":"result",…}. Exit 0 when the call ended normally, 1 on document errors (on stderr) or when the run
ended with error, step-budget or aborted; 2 on usage errors.
`;

const TRANSFER_STATUSES = ['transferred', 'busy', 'no-answer', 'not-found', 'unavailable', 'failed'];

/** End reasons that mean the document (not the caller) is at fault: exit 1. */
const FAILED: EndReason[] = ['error', 'step-budget', 'aborted'];

interface Options {
  file: string;
  keys: KeyTurn[];
  vars: Record<string, string>;
  sounds: string;
  caller: string;
  callee: string;
  callid: string;
  checkTimeoutMs?: number;
  recordings?: string;
  transfer?: TransferStatus;
}

function valueOf(args: string[], i: number, name: string): string {
  const v = args[i + 1];
  if (v === undefined) throw new Error(`${name} needs a value`);
  return v;
}

/** Reads the command line; throws a usage error message. */
function options(args: string[]): Options {
  const files: string[] = [];
  const o: Omit<Options, 'file'> = {
    keys: [],
    vars: {},
    sounds: 'sounds',
    caller: '13800000000',
    callee: '4000',
    callid: `${randomUUID()}@simulate`,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--') || arg === '--') {
      files.push(arg);
      continue;
    }
    const v = valueOf(args, i++, arg);
    if (arg === '--keys') o.keys = parseKeyScript(v);
    else if (arg === '--var') {
      const eq = v.indexOf('=');
      if (eq <= 0) throw new Error(`--var wants NAME=VALUE, got '${v}'`);
      o.vars[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (arg === '--sounds') o.sounds = v;
    else if (arg === '--caller') o.caller = v;
    else if (arg === '--callee') o.callee = v;
    else if (arg === '--callid') o.callid = v;
    else if (arg === '--recordings') o.recordings = resolve(v);
    else if (arg === '--check-timeout') {
      const ms = Number(v);
      if (!Number.isInteger(ms) || ms <= 0) throw new Error(`--check-timeout wants milliseconds, got '${v}'`);
      o.checkTimeoutMs = ms;
    } else if (arg === '--transfer') {
      if (!TRANSFER_STATUSES.includes(v))
        throw new Error(`--transfer wants one of ${TRANSFER_STATUSES.join(', ')}`);
      o.transfer = v as TransferStatus;
    } else throw new Error(`unknown option '${arg}'`);
  }
  if (files.length !== 1) throw new Error(files.length === 0 ? 'no file given' : 'give one file');
  return { file: files[0], ...o };
}

function print(ev: object): void {
  process.stdout.write(`${JSON.stringify(ev)}\n`);
}

async function simulate(o: Options, opts: Pick<SessionOptions, 'document'>): Promise<EndReason> {
  const clock = new VirtualClock();
  const leg = new SimLeg({ clock, callId: o.callid, from: o.caller, to: o.callee });
  const caller = new ScriptedCaller(leg, clock, o.keys);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  const transfer = o.transfer;
  try {
    const session = runSession({
      ...opts,
      leg,
      clock,
      soundRoot: resolve(o.sounds),
      vars: o.vars,
      check: o.checkTimeoutMs === undefined ? {} : { timeoutMs: o.checkTimeoutMs },
      recordingsDir: o.recordings,
      transfer: transfer ? async () => ({ status: transfer, detail: 'simulated' }) : undefined,
      signal: abort.signal,
      onTrace: (ev: TraceEvent) => {
        caller.onTrace(ev);
        // The result line is printed last, with the variables.
        if (ev.type !== 'result') print(ev);
      },
    });
    const result = await clock.run(session);
    print({
      type: 'result',
      t: clock.now(),
      callId: o.callid,
      endReason: result.endReason,
      result: result.result,
      steps: result.steps,
      vars: result.vars,
    });
    return result.endReason;
  } finally {
    caller.stop();
    process.off('SIGINT', onSigint);
  }
}

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  let o: Options;
  try {
    o = options(args);
  } catch (err) {
    process.stderr.write(`ivr simulate: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  let bytes;
  try {
    bytes = await readDocument(o.file);
  } catch (err) {
    process.stderr.write(`ivr simulate: cannot read ${o.file}: ${(err as Error).message}\n`);
    return 2;
  }
  const { document, problems } =
    bytes instanceof Uint8Array ? checkDocument(bytes) : { document: undefined, problems: [bytes] };
  // Problems go to stderr so that stdout stays JSON lines; warnings do not stop the run. Missing audio is not
  // checked here: playback reports it in the trace (E_AUDIO) and the call goes on, as on a live call.
  for (const p of problems) process.stderr.write(`${problemLine(o.file, p)}\n`);
  if (!document || problems.some((p) => p.severity === 'error')) return 1;
  const reason = await simulate(o, { document });
  return FAILED.includes(reason) ? 1 : 0;
}
