// MediaWorker: the main thread's side of the media worker. It starts the thread, numbers sessions, mixers and
// requests, routes answers and events, and makes the speech the worker asks for with the engine's TTS.
import { Worker } from 'node:worker_threads';
import type { TtsEngine } from '../../audio/tts.ts';
import { EspeakTts } from '../../audio/tts.ts';
import type { TickStats } from '../rtp/clock.ts';
import type { FromWorker, OpenOptions, ToWorker, WorkerResources } from './protocol.ts';
import { RemoteMixer } from './remote-mixer.ts';
import { RemoteSession } from './remote-session.ts';

export interface MediaWorkerLog {
  debug(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

type Pending = { resolve: (value: unknown) => void; reject: (err: Error) => void };

/** Requests still waiting when the worker died are rejected with this. */
export class MediaWorkerGone extends Error {
  constructor(why: string) {
    super(`the media worker stopped (${why})`);
  }
}

export class MediaWorker {
  private worker: Worker | undefined;
  private starting: Promise<Worker> | undefined;
  private stopping = false;
  private lastId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly sessions = new Map<number, RemoteSession>();
  private tts: TtsEngine | undefined;
  /** The media thread's scheduling priority (nice), once it reported it. */
  priority: { nice: number; raised: boolean } | undefined;

  constructor(private readonly opts: { tts?: TtsEngine; log?: MediaWorkerLog } = {}) {}

  /** Starts the thread (again after it died); resolves once it runs. */
  start(): Promise<Worker> {
    if (this.worker) return Promise.resolve(this.worker);
    this.stopping = false;
    this.starting ??= new Promise<Worker>((resolve, reject) => {
      const w = new Worker(new URL('./entry.mjs', import.meta.url));
      // Sockets and timers in the worker keep it busy; the main thread's servers decide when the process ends.
      w.unref();
      w.on('message', (msg: FromWorker) => this.receive(msg));
      w.once('online', () => {
        this.worker = w;
        this.starting = undefined;
        resolve(w);
      });
      w.on('error', (err) => {
        this.opts.log?.warn({ err }, 'media worker failed');
        if (!this.worker) {
          this.starting = undefined;
          reject(err);
        }
      });
      w.once('exit', (code) => this.gone(w, `exit code ${code}`));
    });
    return this.starting;
  }

  /** Ends the thread; every session still open ends as if its phone had stopped sending. */
  async stop(): Promise<void> {
    this.stopping = true;
    const w = this.worker ?? (await this.starting?.catch(() => undefined));
    await w?.terminate();
  }

  get openSessions(): number {
    return this.sessions.size;
  }

  async openSession(opts: OpenOptions): Promise<RemoteSession> {
    await this.start();
    const sid = this.nextId();
    const where = (await this.request((req) => ({ op: 'open', req, sid, opts }))) as {
      localAddress: string;
      localPort: number;
    };
    const session = new RemoteSession(this, sid, where.localAddress, where.localPort);
    this.sessions.set(sid, session);
    return session;
  }

  mixer(): RemoteMixer {
    return new RemoteMixer(this, this.nextId());
  }

  /** The worker's media clock: lateness and work per tick (`reset` starts the percentiles afresh). */
  async clockStats(reset = false): Promise<TickStats> {
    return (await this.request((req) => ({ op: 'clock.stats', req, reset }))) as TickStats;
  }

  /** What the worker holds now (sessions, mixers, heap, handles): a leak shows here. */
  async resources(): Promise<WorkerResources> {
    return (await this.request((req) => ({ op: 'resources', req }))) as WorkerResources;
  }

  nextId(): number {
    return ++this.lastId;
  }

  post(msg: ToWorker): void {
    this.worker?.postMessage(msg);
  }

  /** Sends a message that answers; `build` gets the request number. */
  request(build: (req: number) => ToWorker): Promise<unknown> {
    const w = this.worker;
    if (!w) return Promise.reject(new MediaWorkerGone('not running'));
    const req = this.nextId();
    return new Promise((resolve, reject) => {
      this.pending.set(req, { resolve, reject });
      w.postMessage(build(req));
    });
  }

  forget(sid: number): void {
    this.sessions.delete(sid);
  }

  private receive(msg: FromWorker): void {
    switch (msg.ev) {
      case 'answer': {
        const p = this.pending.get(msg.req);
        this.pending.delete(msg.req);
        if (msg.ok) p?.resolve(msg.value);
        else p?.reject(new Error(msg.message));
        return;
      }
      case 'dtmf':
        return this.sessions.get(msg.sid)?.emit('dtmf', msg.event);
      case 'timeout':
        return this.sessions.get(msg.sid)?.emit('timeout');
      case 'tts':
        return void this.speak(msg.req, msg.text, msg.voice);
      case 'priority':
        this.priority = { nice: msg.nice, raised: msg.raised };
        if (msg.raised) this.opts.log?.debug({ nice: msg.nice }, 'media worker runs at a raised priority');
        else
          this.opts.log?.warn(
            { nice: msg.nice },
            'media worker could not raise its priority (needs root or CAP_SYS_NICE): media shares the CPU evenly',
          );
        return;
    }
  }

  private async speak(req: number, text: string, voice: string | undefined): Promise<void> {
    this.tts ??= this.opts.tts ?? new EspeakTts();
    try {
      // Copied, not transferred: the TTS cache keeps its own samples.
      this.post({ op: 'tts.result', req, samples: await this.tts.synthesize(text, voice) });
    } catch (err) {
      this.post({ op: 'tts.result', req, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private gone(w: Worker, why: string): void {
    if (this.worker === w) this.worker = undefined;
    const err = new MediaWorkerGone(why);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    if (!this.stopping) this.opts.log?.warn({ why }, 'media worker stopped; its calls end');
    // Their media is gone: each leg ends the way a phone that stopped sending does.
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const s of sessions) s.lost();
  }
}
