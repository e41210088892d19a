// Runs external programs (espeak-ng) through one small helper process (spawner-helper.mjs). Forking the runtime
// itself copies its page tables: measured on a loaded 2-core machine with a 380 MB process, each spawn blocked
// the event loop 90 ms on average and up to 800 ms — the media clock's loop, for every call. A fork of the
// helper (a few tens of MB) costs next to nothing, and the runtime only writes a line to a pipe.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const HELPER = fileURLToPath(new URL('./spawner-helper.mjs', import.meta.url));

export interface RunOptions {
  /** Written to the program's stdin (then closed). */
  input: string;
  timeoutMs: number;
  /** Largest output accepted. */
  maxBytes: number;
}

interface Waiting {
  resolve: (out: Buffer) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class Spawner {
  private child?: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<number, Waiting>();
  private seq = 0;

  /** Starts the helper now (while the runtime is still small), rather than on the first run. */
  start(): void {
    if (this.child) return;
    // As many programs at once as there are cores: more would only take CPU from the calls.
    const child = spawn(process.execPath, [HELPER, String(availableParallelism())], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdin.on('error', () => undefined);
    child.stderr.resume();
    createInterface({ input: child.stdout }).on('line', (line) => this.answer(line));
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
      this.failAll(new Error('the spawner helper exited'));
    });
    child.on('error', (err) => this.failAll(err));
    // The helper never keeps the runtime alive on its own: its pipes count only while a run waits.
    child.unref();
    this.idle(true);
  }

  /** Runs `command` with `args` (never a shell), `input` on its stdin; resolves with its stdout. */
  run(command: string, args: readonly string[], o: RunOptions): Promise<Buffer> {
    this.start();
    const id = ++this.seq;
    return new Promise((resolve, reject) => {
      // The helper enforces the time limit; this one covers a helper that stopped answering.
      const timer = setTimeout(
        () => this.settle(id, new Error(`timed out after ${o.timeoutMs} ms`)),
        o.timeoutMs + 2000,
      );
      this.waiting.set(id, { resolve, reject, timer });
      this.idle(false);
      this.child!.stdin.write(`${JSON.stringify({ id, command, args, ...o })}\n`);
    });
  }

  /** Ends the helper (tests; the helper also exits when the runtime does). */
  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private answer(line: string): void {
    let m: { id: number; ok: boolean; stdout?: string; error?: string };
    try {
      m = JSON.parse(line) as typeof m;
    } catch {
      return;
    }
    this.settle(m.id, m.ok ? Buffer.from(m.stdout ?? '', 'base64') : new Error(m.error ?? 'failed'));
  }

  private settle(id: number, result: Buffer | Error): void {
    const w = this.waiting.get(id);
    if (!w) return;
    this.waiting.delete(id);
    clearTimeout(w.timer);
    if (result instanceof Error) w.reject(result);
    else w.resolve(result);
    if (this.waiting.size === 0) this.idle(true);
  }

  private failAll(err: Error): void {
    for (const id of [...this.waiting.keys()]) this.settle(id, err);
  }

  /** Pipes hold the event loop open only while a run waits for its answer. */
  private idle(idle: boolean): void {
    for (const s of [this.child?.stdin, this.child?.stdout, this.child?.stderr] as (Socket | undefined)[])
      if (idle) s?.unref?.();
      else s?.ref?.();
  }
}

/** The process-wide spawner. */
export const spawner = new Spawner();
