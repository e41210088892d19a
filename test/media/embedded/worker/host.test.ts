// The media worker from the main thread: packets keep their pace while the main thread is blocked (and do not
// when media runs on the main thread), speech is made on the main thread, aborts reach the worker, counters
// outlive the session, and a worker that stops ends its sessions' plays and legs.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TtsEngine } from '../../../../runtime/media/audio/tts.ts';
import { PCMU, RtpSession } from '../../../../runtime/media/embedded/rtp/session.ts';
import { MediaWorker } from '../../../../runtime/media/embedded/worker/host.ts';
import { writeTone } from '../../contract-peers.ts';
import { RawPeer } from '../rtp/peers.ts';
import { waitFor } from '../sip/peers.ts';

let dir: string;
let tone: string;
const workers: MediaWorker[] = [];
const children: ChildProcess[] = [];
const peers: RawPeer[] = [];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'media-worker-'));
  tone = join(dir, 'tone.wav');
  writeTone(tone, 4, 440);
});

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await Promise.all(peers.splice(0).map((p) => p.close()));
  await Promise.all(workers.splice(0).map((w) => w.stop()));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function worker(tts?: TtsEngine): Promise<MediaWorker> {
  const w = new MediaWorker({ tts });
  workers.push(w);
  await w.start();
  return w;
}

async function peer(): Promise<RawPeer> {
  const p = await RawPeer.open();
  peers.push(p);
  return p;
}

/**
 * A receiver in a process of its own (the test's thread is the one being blocked): prints `port N`, then once
 * it has seen `count` packets, the longest gap between two of them in ms.
 */
function receiver(count: number): { port: Promise<number>; longestGap: Promise<number> } {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const s = require('node:dgram').createSocket('udp4');
       const at = [];
       s.on('message', () => {
         at.push(performance.now());
         if (at.length === ${count}) {
           let gap = 0;
           for (let i = 1; i < at.length; i++) gap = Math.max(gap, at[i] - at[i - 1]);
           console.log('gap ' + gap);
           process.exit(0);
         }
       });
       s.bind(0, '127.0.0.1', () => console.log('port ' + s.address().port));`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  const lines = createInterface({ input: child.stdout! });
  const line = (prefix: string) =>
    new Promise<number>((resolve, reject) => {
      lines.on('line', (l) => l.startsWith(prefix) && resolve(Number(l.slice(prefix.length))));
      child.once('exit', () => reject(new Error(`the receiver exited before '${prefix}'`)));
    });
  return { port: line('port '), longestGap: line('gap ') };
}

/** Blocks this thread (and so its event loop) for `ms`. */
function block(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // Busy: no timer, no I/O callback runs meanwhile.
  }
}

const STALL_MS = 400;

/** Plays the tone to a receiver, blocks this thread once the stream runs, and answers the longest gap. */
async function gapDuringStall(
  open: () => Promise<RtpSession | Awaited<ReturnType<MediaWorker['openSession']>>>,
) {
  const rx = receiver(100);
  const session = await open();
  session.setRemote({ address: '127.0.0.1', port: await rx.port, codec: PCMU });
  const played = session.play([{ kind: 'file', path: tone }], { bargein: false });
  // 20 packets have gone out by then (400 ms): the stall falls inside the receiver's 100.
  await new Promise((r) => setTimeout(r, 0));
  const until = Date.now() + 10_000;
  while ((await session.stats()).packetsSent < 20 && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
  }
  block(STALL_MS);
  const gap = await rx.longestGap;
  await session.close();
  expect((await played).reason).toBe('hungup');
  return gap;
}

describe('MediaWorker', () => {
  it('keeps the 20 ms pace while the main thread is blocked; media on the main thread stalls with it', async () => {
    const w = await worker();
    const inWorker = await gapDuringStall(() => w.openSession({ host: '127.0.0.1' }));
    const onMain = await gapDuringStall(() => RtpSession.open({ host: '127.0.0.1' }));
    // On the main thread the stall is a hole in the stream; in the worker the stream never noticed it.
    expect(onMain).toBeGreaterThanOrEqual(STALL_MS - 50);
    expect(inWorker).toBeLessThan(STALL_MS / 2);
  });

  it('makes speech with the main thread’s TTS engine and reports its failures in the play result', async () => {
    const asked: string[] = [];
    const tts: TtsEngine = {
      synthesize: async (text) => {
        asked.push(text);
        if (text === 'fail') throw new Error('no voice for that');
        return new Int16Array(8000 / 2).fill(1000); // 0.5 s: 25 frames
      },
    };
    const w = await worker(tts);
    const rx = await peer();
    const session = await w.openSession({ host: '127.0.0.1' });
    session.setRemote({ address: '127.0.0.1', port: rx.port, codec: PCMU });
    const result = await session.play(
      [
        { kind: 'tts', text: 'fail' },
        { kind: 'tts', text: 'hello' },
      ],
      { bargein: false },
    );
    expect(asked).toEqual(['fail', 'hello']);
    expect(result).toEqual({
      reason: 'completed',
      errors: [{ source: { kind: 'tts', text: 'fail' }, message: 'no voice for that' }],
    });
    expect((await session.stats()).packetsSent).toBeGreaterThanOrEqual(25);
    await session.close();
  });

  it('aborts a play in the worker when its signal fires, and keeps the counters after close', async () => {
    const w = await worker();
    const rx = await peer();
    const session = await w.openSession({ host: '127.0.0.1' });
    session.setRemote({ address: '127.0.0.1', port: rx.port, codec: PCMU });
    const ctl = new AbortController();
    const played = session.play([{ kind: 'file', path: tone }], { bargein: false, signal: ctl.signal });
    await waitFor(() => rx.packets.length >= 5, 10_000, 'the tone at the peer');
    ctl.abort();
    expect(await played).toEqual({ reason: 'aborted', errors: [] });
    // Already aborted before it is sent: the worker still hears of it.
    const early = new AbortController();
    early.abort();
    expect(
      (await session.play([{ kind: 'file', path: tone }], { bargein: false, signal: early.signal })).reason,
    ).toBe('aborted');
    await session.close();
    const after = await session.stats();
    expect(after.packetsSent).toBeGreaterThanOrEqual(5);
    expect(w.openSessions).toBe(0);
  });

  it('ends plays as hung up and tells each leg its media is gone when the worker stops under it', async () => {
    const w = await worker();
    const rx = await peer();
    const session = await w.openSession({ host: '127.0.0.1' });
    session.setRemote({ address: '127.0.0.1', port: rx.port, codec: PCMU });
    let timedOut = 0;
    session.on('timeout', () => timedOut++);
    const played = session.play([{ kind: 'file', path: tone }], { bargein: false });
    await waitFor(() => rx.packets.length >= 1, 10_000, 'the tone at the peer');
    await w.stop();
    expect(await played).toEqual({ reason: 'hungup', errors: [] });
    expect(timedOut).toBe(1);
    expect(w.openSessions).toBe(0);
    // A new session starts the worker again.
    const again = await w.openSession({ host: '127.0.0.1' });
    expect(again.localPort).toBeGreaterThan(0);
    await again.close();
  });

  it('runs the media thread at a raised priority when the kernel allows it, and says which', async () => {
    const w = await worker();
    const reported = await waitFor(() => w.priority, 10_000, 'the worker to report its priority');
    const main = getPriority();
    // Allowed (root or CAP_SYS_NICE): nice -10; not allowed: the process's own.
    expect(reported.raised ? -10 : main).toBe(reported.nice);
    // The kernel agrees: a thread of this process has that nice value, and the main thread kept its own.
    const nices = readdirSync(`/proc/${process.pid}/task`).map((tid) => {
      const stat = readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8');
      // Fields after the ")" that ends the thread's name: nice is the 19th field, the 17th after it.
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
    });
    expect(nices).toContain(reported.nice);
    expect(getPriority()).toBe(main);
  });

  it('refuses what RtpSession refuses, on the main thread', async () => {
    const w = await worker();
    const session = await w.openSession({ host: '127.0.0.1' });
    expect(() => session.injectDtmf('x', 'sip-info')).toThrow();
    await expect(session.sendDtmf('12x')).rejects.toThrow();
    expect(() => session.bridge(session)).toThrow(/itself/);
    await session.close();
  });
});
