// examples/serve.ts as a process: prints where it listens, answers checks, exits cleanly on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, expect, it } from 'vitest';
import { REPO } from './flows.ts';

// Node with tsx's loader (not the tsx CLI, which runs a second process and relays signals to it).
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;
const DEADLINE_MS = 30_000;

let child: ChildProcess | undefined;
afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Resolves with the first stdout line matching `pattern`, or rejects at the deadline or on exit. */
function firstLine(proc: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${DEADLINE_MS} ms: ${out}`)),
      DEADLINE_MS,
    );
    proc.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = out.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}: ${out}`));
    });
  });
}

it('serves the examples backend on the port it is given and stops on SIGTERM', async () => {
  child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'examples/serve.ts', '--port', '0'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [, port] = await firstLine(child, /examples backend on http:\/\/127\.0\.0\.1:(\d+)/);
  const response = await fetch(`http://127.0.0.1:${port}/Oms/StateHttpTestServlet?a=preOrder&input=0103`);
  expect(await response.text()).toBe('GOODS_FALSE');
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  expect(await exited).toEqual([0, null]);
});

it('refuses a bad port with exit code 2', async () => {
  child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), 'examples/serve.ts', '--port', 'eighty'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [code] = await once(child, 'exit');
  expect(code).toBe(2);
});
