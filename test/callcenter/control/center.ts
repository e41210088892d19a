// A call center for live tests: the runtime on loopback with agents (baresip phones registered as extensions),
// a trunk (a baresip phone answering every outside number), flows, and the manual's HTTP interfaces.
import { rmSync } from 'node:fs';
import type { Runtime } from '../../../runtime/server.ts';
import { waitFor } from '../../media/embedded/sip/peers.ts';
import { startPhone, type BaresipCaller } from '../../calls/baresip.ts';
import { startCallRuntime, tempDir, type PublishedFlow } from '../../calls/harness.ts';

export interface AgentSpec {
  number: string;
  hz: number;
  answer?: 'auto' | 'manual';
  /** Not registered (an offline extension). */
  offline?: boolean;
  permissions?: 'monitor'[];
  group?: string;
}

export interface Center {
  runtime: Runtime;
  /** The registered agents' phones by extension number. */
  agents: Map<string, BaresipCaller>;
  /** The phone behind the trunk: it answers calls to CUSTOMER. */
  trunk: BaresipCaller;
  sip: string;
  /** GET `/bridge/callctrl?<query>` exactly as written. */
  callctrl(query: string): Promise<{ status: number; text: string }>;
  get(path: string): Promise<{ status: number; text: string }>;
  /** A customer's phone (not registered) sending `hz`; with `password` it answers digest challenges. */
  customer(user: string, hz: number, password?: string): Promise<BaresipCaller>;
  stop(): Promise<void>;
}

export const TRUNK_HZ = 500;
/**
 * The outside number the trunk phone answers: baresip 1.0 takes only INVITEs for its own user, so every call out
 * through the trunk in these tests dials this number.
 */
export const CUSTOMER = '13500000001';
const password = (n: string) => `pw-${n}-secret`;

export async function startCenter(opts: {
  agents: AgentSpec[];
  flows?: PublishedFlow[];
  overrides?: Record<string, unknown>;
}): Promise<Center> {
  const dir = tempDir('ivr-center-');
  const phones: BaresipCaller[] = [];
  const trunk = await startPhone({ user: CUSTOMER, answer: 'manual', toneHz: TRUNK_HZ, record: true });
  phones.push(trunk);
  const groups = [...new Set(opts.agents.flatMap((a) => (a.group ? [a.group] : [])))];
  const runtime = await startCallRuntime(dir, opts.flows ?? [], {
    extensions: opts.agents.map((a) => ({
      number: a.number,
      password: password(a.number),
      group: a.group,
      permissions: a.permissions ?? [],
    })),
    groups: groups.map((number) => ({ number, ringSec: 5, timeoutSec: 20 })),
    'sip.trunk': { host: '127.0.0.1', port: trunk.sipPort },
    'callCenter.ringSec': 10,
    ...opts.overrides,
  });
  const sip = `127.0.0.1:${runtime.sip!.port}`;
  const agents = new Map<string, BaresipCaller>();
  try {
    for (const a of opts.agents.filter((x) => !x.offline)) {
      const phone = await startPhone({
        user: a.number,
        registrar: sip,
        password: password(a.number),
        answer: a.answer ?? 'manual',
        toneHz: a.hz,
        record: true,
      });
      phones.push(phone);
      agents.set(a.number, phone);
    }
    for (const a of agents.keys())
      await waitFor(() => runtime.calls.states.isRegistered(a), 15_000, `extension ${a} to register`);
  } catch (err) {
    await Promise.all(phones.map((p) => p.stop()));
    await runtime.stop();
    throw err;
  }
  const base = `http://127.0.0.1:${runtime.http.port}`;
  const get = async (path: string) => {
    const res = await fetch(base + path);
    return { status: res.status, text: await res.text() };
  };
  return {
    runtime,
    agents,
    trunk,
    sip,
    get,
    callctrl: (query) => get(`/bridge/callctrl?${query}`),
    customer: async (user, hz, password) => {
      const phone = await startPhone({ user, toneHz: hz, record: true, answer: 'manual', password });
      phones.push(phone);
      return phone;
    },
    stop: async () => {
      await Promise.all(phones.map((p) => p.stop()));
      await runtime.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves once no call is live in the runtime. */
export function callsOver(center: Center, ms = 15_000): Promise<true> {
  return waitFor(() => center.runtime.calls.count === 0 || undefined, ms, 'every call to end');
}
