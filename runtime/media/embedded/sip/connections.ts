// The TCP connections of the SIP transport: caps in total and per source address, and who makes room at the cap.
import type { Socket } from 'node:net';

export interface TcpLimits {
  /** A connection that carries nothing (not even a CRLF keep-alive) for this long is closed. */
  idleMs?: number;
  /** Connections held at once; at the cap a new connection replaces the one idle the longest. */
  maxConnections?: number;
  /** Connections one source address may open; more are closed at once. */
  maxConnectionsPerSource?: number;
}

export const DEFAULT_TCP_LIMITS: Required<TcpLimits> = {
  idleMs: 120_000,
  maxConnections: 1024,
  maxConnectionsPerSource: 32,
};

interface Connection {
  key: string;
  sock: Socket;
  address: string;
  /** Opened by us (to a trunk or a phone): never refused, but counted. */
  dialled: boolean;
  lastActive: number;
  /** Carried at least one SIP message: a phone, not a socket held open to fill the table. */
  carried: boolean;
  /** Live dialogs on this connection: it stays open however quiet the call is. */
  holds: number;
  /** A registration binding lives on this connection until then: the phone is only reachable through it. */
  keepUntil: number;
}

export class ConnectionTable {
  private readonly byKey = new Map<string, Connection>();
  private readonly perSource = new Map<string, number>();
  readonly limits: Required<TcpLimits>;

  constructor(limits: TcpLimits = {}) {
    this.limits = { ...DEFAULT_TCP_LIMITS, ...definedOnly(limits) };
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): Socket | undefined {
    return this.byKey.get(key)?.sock;
  }

  /**
   * Takes a new connection. An accepted one from a source already at its cap is refused (false: the caller
   * closes it). At the total cap the connection idle the longest, preferring one that never carried SIP,
   * is closed to make room: the listener keeps accepting whatever an attacker holds open.
   */
  add(key: string, sock: Socket, address: string, dialled: boolean): boolean {
    const fromSource = this.perSource.get(address) ?? 0;
    if (!dialled && fromSource >= this.limits.maxConnectionsPerSource) return false;
    const evicted = this.byKey.size >= this.limits.maxConnections ? this.oldest() : undefined;
    if (evicted) {
      this.remove(evicted.key, evicted.sock);
      evicted.sock.destroy();
    }
    this.byKey.set(key, {
      key,
      sock,
      address,
      dialled,
      lastActive: Date.now(),
      carried: false,
      holds: 0,
      keepUntil: 0,
    });
    this.perSource.set(address, fromSource + 1);
    return true;
  }

  /** Marks activity (bytes in or out); `message` when a whole SIP message came. */
  touch(key: string, message = false): void {
    const c = this.byKey.get(key);
    if (!c) return;
    c.lastActive = Date.now();
    if (message) c.carried = true;
  }

  /** Keeps the connection open while a dialog lives on it; call the returned function when the dialog ends. */
  hold(key: string): () => void {
    const c = this.byKey.get(key);
    if (!c) return () => {};
    c.holds++;
    let released = false;
    return () => {
      if (!released) c.holds--;
      released = true;
    };
  }

  /** Keeps the connection open until `until` (ms since epoch), for a registration binding. */
  keepOpenUntil(key: string, until: number): void {
    const c = this.byKey.get(key);
    if (c) c.keepUntil = Math.max(c.keepUntil, until);
  }

  /** Whether an idle connection may be closed: nothing lives on it any more. */
  closable(key: string): boolean {
    const c = this.byKey.get(key);
    return !c || (c.holds === 0 && c.keepUntil <= Date.now());
  }

  remove(key: string, sock: Socket): void {
    const c = this.byKey.get(key);
    if (c?.sock !== sock) return;
    this.byKey.delete(key);
    const n = (this.perSource.get(c.address) ?? 1) - 1;
    if (n > 0) this.perSource.set(c.address, n);
    else this.perSource.delete(c.address);
  }

  closeAll(): void {
    for (const c of this.byKey.values()) c.sock.destroy();
    this.byKey.clear();
    this.perSource.clear();
  }

  private oldest(): Connection | undefined {
    let pick: Connection | undefined;
    for (const c of this.byKey.values()) {
      if (!pick || rank(c) < rank(pick)) pick = c;
    }
    return pick;
  }
}

/** Lower goes first: never carried SIP, then carrying no call or binding, then least recently active. */
function rank(c: Connection): number {
  const inUse = c.holds > 0 || c.keepUntil > Date.now();
  return (c.carried ? 2 ** 51 : 0) + (inUse ? 2 ** 51 : 0) + c.lastActive;
}

function definedOnly(o: TcpLimits): TcpLimits {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as TcpLimits;
}
