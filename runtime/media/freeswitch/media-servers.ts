// The FreeSWITCH media servers one runtime drives: each new call goes to the least loaded one that is up; one that
// goes away is reconnected in the background while calls on the others go on.
import Mrf from 'drachtio-fsmrf';
import type Srf from 'drachtio-srf';
import { FreeswitchError, type FreeswitchLog } from './errors.ts';
import { probeEventSocket } from './event-socket-probe.ts';
import { leastLoaded } from './least-loaded.ts';

export interface MediaServerOptions {
  /** Event socket of the FreeSWITCH (inbound connection), e.g. `127.0.0.1`, port 8021. */
  address: string;
  port: number;
  secret: string;
  /** Where this process listens for the FreeSWITCH's outbound event-socket connections (default 127.0.0.1:0). */
  listenAddress?: string;
  listenPort?: number;
  /** The sofia profile that takes calls from drachtio (default `drachtio_mrf`). */
  profile?: string;
}

/** One media server as the pool sees it now: a read-only snapshot (for health and tests). */
export interface MediaServerStatus {
  /** Its event socket, as configured. */
  address: string;
  port: number;
  /** Connected: it takes new calls. False while it is away (the pool is reconnecting in the background). */
  up: boolean;
  /** Endpoints this runtime holds there now: calls answered or originated through it that have not ended. */
  sessions: number;
  /** Sessions and max-sessions its last heartbeat reported (0 before the first one and while it is away). */
  reported: number;
  max: number;
}

interface Slot {
  opts: MediaServerOptions;
  ms?: Mrf.MediaServer;
  /** Endpoints this runtime holds there: the heartbeat's count lags by up to 20 s. */
  sessions: number;
  retry?: ReturnType<typeof setTimeout>;
}

const DEFAULT_PROFILE = 'drachtio_mrf';
const RETRY_MS = [500, 1000, 2000, 5000, 10_000];

export class MediaServerPool {
  private readonly mrf: Mrf;
  private readonly slots: Slot[];
  private stopped = false;

  constructor(
    srf: Srf,
    servers: readonly MediaServerOptions[],
    private readonly log: FreeswitchLog,
    private readonly timeoutMs = 5000,
  ) {
    if (servers.length === 0)
      throw new FreeswitchError('E_NO_MEDIA_SERVER', 'no FreeSWITCH media server is configured');
    this.mrf = new Mrf(srf);
    this.slots = servers.map((opts) => ({ opts, sessions: 0 }));
  }

  /** Connects to every media server; rejects (E_MEDIA_SERVER_UNREACHABLE) naming each one that cannot be reached. */
  async start(): Promise<void> {
    this.stopped = false;
    const failures: string[] = [];
    await Promise.all(
      this.slots.map(async (slot) => {
        try {
          await this.connect(slot);
        } catch (err) {
          failures.push(`${slot.opts.address}:${slot.opts.port} (${(err as Error).message})`);
        }
      }),
    );
    if (failures.length > 0) {
      this.stop();
      throw new FreeswitchError(
        'E_MEDIA_SERVER_UNREACHABLE',
        `cannot reach the FreeSWITCH event socket at ${failures.join(', ')}`,
      );
    }
  }

  stop(): void {
    this.stopped = true;
    for (const slot of this.slots) {
      clearTimeout(slot.retry);
      slot.ms?.disconnect();
      slot.ms = undefined;
    }
  }

  /** How many servers are up (for health and tests). */
  get up(): number {
    return this.slots.filter((s) => s.ms).length;
  }

  /** Every configured server, in configuration order: whether it is up and its load as `pick()` weighs it. */
  status(): MediaServerStatus[] {
    return this.slots.map((s) => ({
      address: s.opts.address,
      port: s.opts.port,
      up: s.ms !== undefined,
      sessions: s.sessions,
      reported: s.ms?.currentSessions ?? 0,
      max: s.ms?.maxSessions ?? 0,
    }));
  }

  /**
   * The least loaded server that is up, with a release to call when the call's endpoint is gone. Throws
   * E_NO_MEDIA_SERVER when none is up.
   */
  pick(): { ms: Mrf.MediaServer; release: () => void } {
    const i = leastLoaded(
      this.slots.map((s) => ({
        up: s.ms !== undefined,
        reported: s.ms?.currentSessions ?? 0,
        held: s.sessions,
        max: s.ms?.maxSessions ?? 0,
      })),
    );
    if (i < 0) throw new FreeswitchError('E_NO_MEDIA_SERVER', 'no FreeSWITCH media server is up');
    const slot = this.slots[i];
    slot.sessions++;
    let released = false;
    return {
      ms: slot.ms!,
      release: () => {
        if (!released) slot.sessions--;
        released = true;
      },
    };
  }

  private async connect(slot: Slot): Promise<void> {
    const { address, port, secret, listenAddress, listenPort } = slot.opts;
    const profile = slot.opts.profile ?? DEFAULT_PROFILE;
    await probeEventSocket({ address, port, secret, profile }, this.timeoutMs);
    const ms = await this.mrf.connect({
      address,
      port,
      secret,
      // Never the first public interface (fsmrf's default): loopback unless configured.
      listenAddress: listenAddress ?? '127.0.0.1',
      listenPort: listenPort ?? 0,
      profile,
    });
    if (this.stopped) {
      ms.disconnect();
      return;
    }
    slot.ms = ms;
    ms.on('error', (err) => this.log.warn({ err, server: address }, 'media server error'));
    ms.once('end', () => {
      if (slot.ms !== ms) return;
      this.log.warn(
        { server: `${address}:${port}` },
        'media server lost; new calls avoid it until it is back',
      );
      ms.disconnect();
      slot.ms = undefined;
      this.reconnect(slot, 0);
    });
  }

  private reconnect(slot: Slot, attempt: number): void {
    if (this.stopped) return;
    const delay = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
    slot.retry = setTimeout(() => {
      this.connect(slot).then(
        () => this.log.warn({ server: slot.opts.address }, 'media server back'),
        () => this.reconnect(slot, attempt + 1),
      );
    }, delay);
  }
}
