// The messages between the main thread and the media worker (`media-worker.ts`). Sessions, mixers and their
// ports are named by numbers the main thread picks; requests that answer carry a `req` number.
import type {
  DtmfEvent,
  DtmfSource,
  MediaSource,
  PlayResult,
  RecordOptions,
  RecordResult,
} from '../../contract.ts';
import type { TickStats } from '../rtp/clock.ts';
import type { HoldParty } from '../rtp/hold.ts';
import type { MixMode } from '../rtp/mixer.ts';
import type { RtpRemote, RtpStats } from '../rtp/session.ts';

export interface OpenOptions {
  host: string;
  ports?: { min: number; max: number };
  mediaTimeoutMs?: number;
  holdMusic?: string;
}

/** Record options without the AbortSignal (aborting is its own message). */
export type WorkerRecordOptions = Omit<RecordOptions, 'signal'>;

/** Main thread → worker. */
export type ToWorker =
  | { op: 'open'; req: number; sid: number; opts: OpenOptions }
  | { op: 'close'; req: number; sid: number }
  | { op: 'setRemote'; sid: number; remote: RtpRemote }
  | { op: 'play'; req: number; sid: number; sources: MediaSource[]; bargein: boolean }
  | { op: 'record'; req: number; sid: number; opts: WorkerRecordOptions }
  | { op: 'abort'; req: number }
  | { op: 'sendDtmf'; req: number; sid: number; digits: string }
  | { op: 'injectDtmf'; sid: number; digit: string; source: DtmfSource }
  | { op: 'bridge'; sid: number; other: number }
  | { op: 'unbridge'; sid: number }
  | { op: 'hold'; sid: number; on: boolean; by: HoldParty; music?: MediaSource }
  | { op: 'attach'; sid: number; port: number | undefined }
  | { op: 'mixer.add'; mixer: number; port: number }
  | { op: 'mixer.remove'; mixer: number; port: number }
  | { op: 'port.set'; port: number; mode: MixMode; to: number | undefined }
  | { op: 'tts.result'; req: number; samples?: Int16Array; error?: string }
  | { op: 'clock.stats'; req: number; reset: boolean }
  | { op: 'stats'; req: number; sid: number }
  | { op: 'resources'; req: number };

/** What the worker holds: its maps (a leak shows here first), heap, and active handles and timers. */
export interface WorkerResources {
  sessions: number;
  mixers: number;
  ports: number;
  /** Play/record requests that can still be aborted, and speech requests waiting for the main thread. */
  waiting: number;
  heapUsed: number;
  handles: number;
  timers: number;
}

/** What a request answers: a value, or the message of the error it threw. */
export type Answer =
  | {
      ok: true;
      value?:
        | { localAddress: string; localPort: number }
        | PlayResult
        | RecordResult
        | TickStats
        | RtpStats
        | WorkerResources;
    }
  | { ok: false; message: string };

/** Worker → main thread. */
export type FromWorker =
  | ({ ev: 'answer'; req: number } & Answer)
  | { ev: 'dtmf'; sid: number; event: DtmfEvent }
  | { ev: 'timeout'; sid: number }
  | { ev: 'tts'; req: number; text: string; voice?: string }
  /** Sent once at start: the media thread's nice value, and whether it could raise its priority. */
  | { ev: 'priority'; nice: number; raised: boolean };
