// The spawner's helper process (see spawner.ts): runs programs for the runtime, so that the fork behind every
// spawn copies this small process and not the runtime (whose fork stalls its event loop and the media clock).
// Plain JavaScript so that it starts with bare `node`, without the TypeScript loader.
//
// Protocol, one JSON object per line. In: {"id", "command", "args", "input", "timeoutMs", "maxBytes"}.
// Out: {"id", "ok": true, "stdout": <base64>} or {"id", "ok": false, "error"}. Programs run with an argument
// array (never a shell) and `input` on stdin, at most `argv[2]` at a time (the others wait their turn: speech
// synthesis needs the CPU the calls need too). The helper exits when its stdin closes (the runtime went away).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const PARALLEL = Math.max(1, Number(process.argv[2]) || 2);
const queue = [];
let running = 0;

function next() {
  while (running < PARALLEL && queue.length > 0) {
    running++;
    run(queue.shift(), () => {
      running--;
      next();
    });
  }
}

function reply(message) {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function run(req, done) {
  // The time limit counts from the request, queueing included.
  const left = req.timeoutMs - (Date.now() - req.receivedAt);
  if (left <= 0) {
    reply({ id: req.id, ok: false, error: `timed out after ${req.timeoutMs} ms` });
    return done();
  }
  let child;
  try {
    child = spawn(req.command, req.args, { stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    reply({ id: req.id, ok: false, error: String(err?.message ?? err) });
    return done();
  }
  const out = [];
  let bytes = 0;
  let err = '';
  let finished = false;
  const finish = (message) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    reply(message);
    done();
  };
  const timer = setTimeout(() => {
    child.kill('SIGKILL');
    finish({ id: req.id, ok: false, error: `timed out after ${req.timeoutMs} ms` });
  }, left);
  child.stdout.on('data', (d) => {
    bytes += d.length;
    if (bytes > req.maxBytes) {
      child.kill('SIGKILL');
      finish({ id: req.id, ok: false, error: `output exceeds ${req.maxBytes} bytes` });
    } else out.push(d);
  });
  child.stderr.on('data', (d) => {
    if (err.length < 2000) err += d.toString();
  });
  child.on('error', (e) => finish({ id: req.id, ok: false, error: e.message }));
  child.on('close', (code) => {
    if (code === 0) finish({ id: req.id, ok: true, stdout: Buffer.concat(out).toString('base64') });
    else finish({ id: req.id, ok: false, error: `${req.command} failed (${code}): ${err.trim()}` });
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(req.input);
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let req;
  try {
    req = JSON.parse(line);
  } catch {
    return;
  }
  queue.push({ ...req, receivedAt: Date.now() });
  next();
});
lines.on('close', () => process.exit(0));
