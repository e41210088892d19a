// `node bin/ivr.js serve …` as a child process, the way an operator runs it: for the tests that kill it (SIGKILL,
// SIGTERM) and read what it printed. Every child still running is SIGKILLed by `killServed` (call it in afterAll).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../calls/harness.ts';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Served {
  child: ChildProcess;
  /** Resolves with the first match of `re` in stdout+stderr so far or to come; rejects if the process exits first. */
  output(re: RegExp): Promise<RegExpExecArray>;
  /** The HTTP port and SIP address it printed once listening. */
  listening(): Promise<{ http: number; sip: string }>;
  exit: Promise<Exit>;
}

const running = new Set<ChildProcess>();

/** Is this child still running (not yet exited)? */
export const isRunning = (child: ChildProcess): boolean => running.has(child);

export function serveChild(args: string[], env: NodeJS.ProcessEnv = {}): Served {
  const child = spawn(process.execPath, [join(ROOT, 'bin/ivr.js'), 'serve', ...args], {
    cwd: ROOT,
    env: { ...process.env, IVR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    text += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<Exit>((done) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      done({ code, signal });
    }),
  );
  const output = (re: RegExp) =>
    new Promise<RegExpExecArray>((done, fail) => {
      const check = () => {
        const m = re.exec(text);
        if (!m) return;
        listeners.delete(check);
        done(m);
      };
      listeners.add(check);
      check();
      void exit.then(({ code }) => fail(new Error(`ivr serve exited (${code}) before ${re}: ${text}`)));
    });
  const listening = async () => {
    const m = await output(/HTTP on http:\/\/127\.0\.0\.1:(\d+), SIP on (127\.0\.0\.1:\d+)/);
    return { http: Number(m[1]), sip: m[2] };
  };
  return { child, output, listening, exit };
}

/** SIGKILLs every child still running. */
export function killServed(): void {
  for (const c of running) c.kill('SIGKILL');
}
