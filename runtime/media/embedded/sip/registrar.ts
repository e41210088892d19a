// Registrar (RFC 3261 §10) for the configured extensions, with digest authentication and binding expiry.
import { EventEmitter } from 'node:events';
import type { Registration } from '../../contract.ts';
import { makeResponse } from './build.ts';
import { ExtensionAuth } from './auth.ts';
import {
  header,
  headerValues,
  parseNameAddr,
  parseUri,
  type SipRequest,
  type SipResponse,
} from './message.ts';
import { symmetric } from './nat.ts';
import type { Peer } from './transport.ts';

export interface Extension {
  number: string;
  password: string;
}

export interface RegistrarOptions {
  extensions: Extension[];
  realm: string;
  minExpires?: number;
  maxExpires?: number;
  defaultExpires?: number;
  nonceTtlMs?: number;
  /** Checks credentials (shared with INVITE admission); by default one made from `extensions` and `realm`. */
  auth?: ExtensionAuth;
}

export interface Binding extends Registration {
  /** Where the REGISTER came from: requests to this binding go back there (works through NAT and over TCP). */
  peer: Peer;
  callId: string;
  /** Requests to this binding go to `peer`, not to its Contact (TCP, or a REGISTER with Via `rport`). */
  symmetric: boolean;
}

/** Emits `registration` ({ user, registered }) when a user gains its first or loses its last binding, and
 *  `bound` (Binding) on every new or refreshed binding. */
export class Registrar extends EventEmitter {
  private readonly passwords = new Map<string, string>();
  private readonly bindings = new Map<
    string,
    Map<string, { binding: Binding; timer: ReturnType<typeof setTimeout> }>
  >();
  private readonly auth: ExtensionAuth;
  private readonly min: number;
  private readonly max: number;
  private readonly def: number;

  constructor(opts: RegistrarOptions) {
    super();
    for (const e of opts.extensions) this.passwords.set(e.number, e.password);
    this.auth =
      opts.auth ??
      new ExtensionAuth({
        realm: opts.realm,
        nonceTtlMs: opts.nonceTtlMs,
        passwordOf: (u) => this.passwords.get(u),
      });
    this.min = opts.minExpires ?? 60;
    this.max = opts.maxExpires ?? 3600;
    this.def = opts.defaultExpires ?? 3600;
  }

  /** Replaces the accounts; users no longer listed lose their bindings (and are told unregistered). */
  setExtensions(extensions: readonly Extension[]): void {
    this.passwords.clear();
    for (const e of extensions) this.passwords.set(e.number, e.password);
    for (const user of [...this.bindings.keys()]) if (!this.passwords.has(user)) this.removeAll(user);
  }

  has(user: string): boolean {
    return this.passwords.has(user);
  }

  registrations(): Registration[] {
    return [...this.bindings.values()].flatMap((m) =>
      [...m.values()].map(({ binding: b }) => ({
        user: b.user,
        contact: b.contact,
        expires: b.expires,
        transport: b.transport,
        userAgent: b.userAgent,
      })),
    );
  }

  /** The most recently refreshed binding of `user`. */
  lookup(user: string): Binding | undefined {
    const m = this.bindings.get(user);
    if (!m) return undefined;
    return [...m.values()].map((e) => e.binding).sort((a, b) => b.expires - a.expires)[0];
  }

  handle(req: SipRequest, peer: Peer, toTag: string): SipResponse {
    const aor = parseUri(parseNameAddr(header(req, 'to') ?? '')?.uri ?? '');
    // Credentials first, for every user alike: a 404 before the challenge would tell which numbers exist.
    const verdict = this.auth.check(req, peer, toTag);
    if (!verdict.ok) return verdict.response;
    if (verdict.user !== aor?.user) return makeResponse(req, 403, { toTag });
    const user = verdict.user;
    const contacts = headerValues(req, 'contact');
    const expiresHeader = header(req, 'expires');
    if (contacts.length === 1 && contacts[0] === '*') {
      if (expiresHeader?.trim() !== '0') return makeResponse(req, 400, { toTag });
      this.removeAll(user);
      return makeResponse(req, 200, { toTag });
    }
    const updates: { contact: string; expires: number }[] = [];
    for (const c of contacts) {
      const na = parseNameAddr(c);
      if (!na) return makeResponse(req, 400, { toTag });
      const e = Number(na.params.expires ?? expiresHeader ?? this.def);
      if (!Number.isFinite(e) || e < 0) return makeResponse(req, 400, { toTag });
      if (e > 0 && e < this.min)
        return makeResponse(req, 423, { toTag, headers: { 'Min-Expires': String(this.min) } });
      updates.push({ contact: na.uri, expires: Math.min(e, this.max) });
    }
    for (const u of updates) this.bind(user, u.contact, u.expires, req, peer);
    const current = [...(this.bindings.get(user)?.values() ?? [])].map(
      ({ binding }) =>
        `<${binding.contact}>;expires=${Math.max(0, Math.round((binding.expires - Date.now()) / 1000))}`,
    );
    const headers: Record<string, string> = {};
    if (current.length) headers.Contact = current.join(', ');
    return makeResponse(req, 200, { toTag, headers });
  }

  private bind(user: string, contact: string, expires: number, req: SipRequest, peer: Peer): void {
    let m = this.bindings.get(user);
    const existing = m?.get(contact);
    if (existing) clearTimeout(existing.timer);
    if (expires === 0) {
      m?.delete(contact);
      if (m && m.size === 0) this.removeAll(user);
      return;
    }
    const first = !m || m.size === 0;
    if (!m) this.bindings.set(user, (m = new Map()));
    const binding: Binding = {
      user,
      contact,
      expires: Date.now() + expires * 1000,
      transport: peer.transport,
      userAgent: header(req, 'user-agent'),
      peer,
      callId: header(req, 'call-id') ?? '',
      symmetric: symmetric(req, peer),
    };
    const timer = setTimeout(() => this.bind(user, contact, 0, req, peer), expires * 1000);
    timer.unref();
    m.set(contact, { binding, timer });
    this.emit('bound', binding);
    if (first) this.emit('registration', { user, registered: true });
  }

  private removeAll(user: string): void {
    const m = this.bindings.get(user);
    if (!m) return;
    for (const { timer } of m.values()) clearTimeout(timer);
    this.bindings.delete(user);
    this.emit('registration', { user, registered: false });
  }

  stop(): void {
    for (const m of this.bindings.values()) for (const { timer } of m.values()) clearTimeout(timer);
    this.bindings.clear();
  }
}
