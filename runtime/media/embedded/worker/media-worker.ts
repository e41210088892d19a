// The media worker: every RTP session, conference mixer and the 20 ms media clock of the embedded engine, in a
// thread of their own, so SIP, the interpreter, checks and the store on the main thread never delay a packet.
// It runs the same RtpSession and Mixer as the main thread would; `protocol.ts` lists what it is asked.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import type { TtsEngine } from '../../audio/tts.ts';
import { sharedMediaClock } from '../rtp/clock.ts';
import { Mixer, type MixerPort } from '../rtp/mixer.ts';
import { RtpSession } from '../rtp/session.ts';
import type { Answer, FromWorker, ToWorker, WorkerResources } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('media-worker.ts runs as a worker thread');

const clock = sharedMediaClock();
const sessions = new Map<number, RtpSession>();
const mixers = new Map<number, Mixer>();
const ports = new Map<number, MixerPort>();
/** Running play/record requests, by request number, for 'abort'. */
const aborts = new Map<number, AbortController>();
const ttsWaiting = new Map<number, { resolve: (s: Int16Array) => void; reject: (e: Error) => void }>();
let ttsReq = 0;

const send = (msg: FromWorker, transfer?: ArrayBuffer[]) => port.postMessage(msg, transfer ?? []);
const answer = (req: number, a: Answer) => send({ ev: 'answer', req, ...a });
const fail = (req: number, err: unknown) =>
  answer(req, { ok: false, message: err instanceof Error ? err.message : String(err) });

/** Speech is made on the main thread (its engine, its outbound-URL policy); the samples come back here. */
const tts: TtsEngine = {
  synthesize(text, voice) {
    const req = ++ttsReq;
    return new Promise((resolve, reject) => {
      ttsWaiting.set(req, { resolve, reject });
      send({ ev: 'tts', req, text, voice });
    });
  },
};

function session(sid: number): RtpSession {
  const s = sessions.get(sid);
  if (!s) throw new Error(`no media session ${sid}`);
  return s;
}

/** Runs a request that answers; the answer carries what it resolved with or the error it threw. */
function reply(req: number, work: () => Promise<unknown>): void {
  work().then(
    (value) => answer(req, { ok: true, value: value as Extract<Answer, { ok: true }>['value'] }),
    (err: unknown) => fail(req, err),
  );
}

function abortable(req: number): AbortSignal {
  const ctl = new AbortController();
  aborts.set(req, ctl);
  return ctl.signal;
}

async function open(sid: number, opts: Extract<ToWorker, { op: 'open' }>['opts']) {
  const s = await RtpSession.open({ ...opts, clock, tts });
  sessions.set(sid, s);
  s.on('dtmf', (event) => send({ ev: 'dtmf', sid, event }));
  s.on('timeout', () => send({ ev: 'timeout', sid }));
  return { localAddress: s.localAddress, localPort: s.localPort };
}

/** Closes the session; answers its final counters (the main thread keeps them for `stats()` after the call). */
async function close(sid: number) {
  const s = sessions.get(sid);
  sessions.delete(sid);
  await s?.close();
  return s?.stats();
}

function handle(msg: ToWorker): void {
  switch (msg.op) {
    case 'open':
      return reply(msg.req, () => open(msg.sid, msg.opts));
    case 'close':
      return reply(msg.req, () => close(msg.sid));
    case 'setRemote':
      return session(msg.sid).setRemote(msg.remote);
    case 'play': {
      const signal = abortable(msg.req);
      return reply(msg.req, () =>
        session(msg.sid)
          .play(msg.sources, { bargein: msg.bargein, signal })
          .finally(() => aborts.delete(msg.req)),
      );
    }
    case 'record': {
      const signal = abortable(msg.req);
      return reply(msg.req, () =>
        session(msg.sid)
          .record({ ...msg.opts, signal })
          .finally(() => aborts.delete(msg.req)),
      );
    }
    case 'abort':
      return aborts.get(msg.req)?.abort();
    case 'sendDtmf':
      return reply(msg.req, () => session(msg.sid).sendDtmf(msg.digits));
    case 'injectDtmf':
      return session(msg.sid).injectDtmf(msg.digit, msg.source);
    case 'bridge':
      return session(msg.sid).bridge(session(msg.other));
    case 'unbridge':
      return sessions.get(msg.sid)?.unbridge();
    case 'hold':
      return session(msg.sid).hold(msg.on, msg.by, msg.music);
    case 'attach':
      return session(msg.sid).attach(msg.port === undefined ? undefined : ports.get(msg.port));
    case 'mixer.add': {
      let mixer = mixers.get(msg.mixer);
      if (!mixer) mixers.set(msg.mixer, (mixer = new Mixer(clock)));
      ports.set(msg.port, mixer.add());
      return;
    }
    case 'mixer.remove': {
      const mixer = mixers.get(msg.mixer);
      const p = ports.get(msg.port);
      ports.delete(msg.port);
      if (mixer && p) mixer.remove(p);
      if (mixer?.size === 0) mixers.delete(msg.mixer);
      return;
    }
    case 'port.set': {
      const p = ports.get(msg.port);
      if (!p) return;
      p.mode = msg.mode;
      p.to = msg.to === undefined ? undefined : ports.get(msg.to);
      return;
    }
    case 'tts.result': {
      const waiting = ttsWaiting.get(msg.req);
      ttsWaiting.delete(msg.req);
      if (msg.samples) waiting?.resolve(msg.samples);
      else waiting?.reject(new Error(msg.error ?? 'speech failed'));
      return;
    }
    case 'resources': {
      const active = process.getActiveResourcesInfo();
      const value: WorkerResources = {
        sessions: sessions.size,
        mixers: mixers.size,
        ports: ports.size,
        waiting: aborts.size + ttsWaiting.size,
        heapUsed: process.memoryUsage().heapUsed,
        handles: active.length,
        timers: active.filter((r) => r === 'Timeout' || r === 'Immediate').length,
      };
      return answer(msg.req, { ok: true, value });
    }
    case 'stats':
      return answer(msg.req, { ok: true, value: session(msg.sid).stats() });
    case 'clock.stats': {
      const stats = clock.stats();
      if (msg.reset) clock.resetStats();
      return answer(msg.req, { ok: true, value: stats });
    }
  }
}

/**
 * Media should not wait for the main thread's work when both want the CPU: this thread asks the kernel for a
 * higher priority (nice MEDIA_NICE; Linux sets nice per thread). That needs root or CAP_SYS_NICE; without it the
 * thread keeps the process's priority. The host is told which (its log says so).
 */
const MEDIA_NICE = -10;
function raisePriority(): { nice: number; raised: boolean } {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    try {
      setPriority(tid, MEDIA_NICE);
    } catch {
      // Not allowed: stay as we are.
    }
    const nice = getPriority(tid);
    return { nice, raised: nice === MEDIA_NICE };
  } catch {
    return { nice: getPriority(), raised: false };
  }
}
send({ ev: 'priority', ...raisePriority() });

port.on('message', (msg: ToWorker) => {
  try {
    handle(msg);
  } catch (err) {
    // A message for a session that is already closed (a race with its BYE): answer it if it asked, else drop it.
    if ('req' in msg && msg.op !== 'abort' && msg.op !== 'tts.result') fail(msg.req, err);
  }
});
