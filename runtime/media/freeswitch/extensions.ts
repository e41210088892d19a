// The extensions (agents' phones) on the FreeSWITCH engine: drachtio-server hands REGISTERs and INVITEs to the
// runtime, which answers them with the embedded engine's registrar, digest authentication and INVITE admission,
// so that phones register, prove who they are and are called the same way on both engines.
import type Srf from 'drachtio-srf';
import type { Registration, SipAccount } from '../contract.ts';
import { admitInvite, type AdmissionHook, type InviteVerdict } from '../embedded/admission.ts';
import { ExtensionAuth } from '../embedded/sip/auth.ts';
import { newTag } from '../embedded/sip/build.ts';
import { parseMessage, type SipRequest, type SipResponse } from '../embedded/sip/message.ts';
import { Registrar } from '../embedded/sip/registrar.ts';
import type { Peer } from '../embedded/sip/transport.ts';
import type { FreeswitchLog } from './errors.ts';

const REALM = 'switchboard-ivr';
/** Headers of our answer drachtio-server writes itself (it owns the transaction and the dialog). */
const OWN = new Set(['via', 'from', 'to', 'call-id', 'cseq', 'content-length', 'record-route']);

/** A request drachtio-server passed on, in the embedded engine's model, with where it came from. */
export function sipOf(req: Srf.SrfRequest): { req: SipRequest; peer: Peer } | undefined {
  const parsed = parseMessage(Buffer.from(req.raw, 'utf8'));
  if (!parsed.ok || parsed.message.kind !== 'request') return undefined;
  const transport = req.protocol?.toLowerCase().startsWith('tcp') ? 'tcp' : 'udp';
  return {
    req: parsed.message,
    peer: { transport, address: req.source_address, port: Number(req.source_port) },
  };
}

/** Sends `response` through drachtio-server (its status, reason and the headers that are ours to set). */
export function sendSip(res: Srf.SrfResponse, response: SipResponse): void {
  const headers: Record<string, string> = {};
  for (const h of response.headers) {
    if (OWN.has(h.name)) continue;
    headers[h.name] = headers[h.name] ? `${headers[h.name]}, ${h.value}` : h.value;
  }
  res.send(response.status, response.reason, { headers });
}

export class Extensions {
  private passwords = new Map<string, string>();
  private readonly auth: ExtensionAuth;
  private readonly registrar: Registrar;

  constructor(
    private readonly log: FreeswitchLog,
    onRegistration: (ev: { user: string; registered: boolean }) => void,
  ) {
    this.auth = new ExtensionAuth({ realm: REALM, passwordOf: (u) => this.passwords.get(u), log });
    this.registrar = new Registrar({ extensions: [], realm: REALM, auth: this.auth });
    this.registrar.on('registration', onRegistration);
  }

  setAccounts(accounts: readonly SipAccount[]): void {
    this.passwords = new Map(accounts.map((a) => [a.number, a.password]));
    this.registrar.setExtensions(accounts);
  }

  /** Answers a REGISTER (challenge, 200 with the bindings, 403, 423…). */
  onRegister(req: Srf.SrfRequest, res: Srf.SrfResponse): void {
    const sip = sipOf(req);
    if (!sip) return res.send(400);
    sendSip(res, this.registrar.handle(sip.req, sip.peer, newTag()));
  }

  /** What the runtime's hook (after credentials, when it asks for them) says about a new INVITE. */
  admit(req: Srf.SrfRequest, hook: AdmissionHook): InviteVerdict | undefined {
    const sip = sipOf(req);
    if (!sip) return undefined;
    return admitInvite(sip.req, sip.peer, hook, this.auth, (o, m) => this.log.warn(o, m));
  }

  /** Where a registered extension is reached (its most recent binding's Contact). */
  contactOf(number: string): string | undefined {
    return this.registrar.lookup(number)?.contact;
  }

  has(number: string): boolean {
    return this.registrar.has(number);
  }

  registrations(): Registration[] {
    return this.registrar.registrations();
  }

  stop(): void {
    this.registrar.stop();
  }
}
