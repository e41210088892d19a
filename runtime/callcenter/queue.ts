// A group's queue: the caller waits with music while the group's free agents are offered the call one after
// another (or all at once), `online` agents first, `reducing` ones only when no online agent is free, `busy` never.
import type { TransferOutcome, TransferRequest } from '../interpreter/context.ts';
import type { Call } from './calls/call.ts';
import type { ControlDeps } from './control/context.ts';
import { placeLeg, type Placed } from './control/originate.ts';
import type { GroupRecord } from './extensions/directory.ts';

/** Where each round-robin group starts next. */
const turns = new Map<string, number>();

/** The members to offer the call to now, in the order the group's strategy gives. */
export function candidates(d: Pick<ControlDeps, 'directory' | 'states'>, group: GroupRecord): string[] {
  const free = d.directory
    .membersOf(group.number)
    .map((e) => e.number)
    .filter((n) => d.states.isFree(n) && d.states.presenceOf(n) !== 'busy');
  const online = free.filter((n) => d.states.presenceOf(n) === 'online');
  const pool = online.length > 0 ? online : free;
  if (group.strategy === 'longest-idle')
    return [...pool].sort((a, b) => d.states.idleFor(b) - d.states.idleFor(a));
  if (group.strategy === 'round-robin' && pool.length > 0) {
    const start = (turns.get(group.number) ?? 0) % pool.length;
    turns.set(group.number, start + 1);
    return [...pool.slice(start), ...pool.slice(0, start)];
  }
  return pool;
}

/** Resolves after `ms`, or earlier when an extension's state changes (an agent may have become free). */
function nextChance(d: Pick<ControlDeps, 'registry'>, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = d.registry.bus.on('extension.changed', done);
    signal.addEventListener('abort', done);
  });
}

/** Offers the call to `numbers` at once; the first to answer wins, the others stop ringing. */
async function offer(
  d: ControlDeps,
  call: Call,
  numbers: string[],
  group: GroupRecord,
  signal: AbortSignal,
): Promise<Placed | undefined> {
  const ringing = new AbortController();
  const stop = () => ringing.abort();
  signal.addEventListener('abort', stop);
  let winner: Placed | undefined;
  await Promise.all(
    numbers.map(async (number) => {
      const placed = await placeLeg(d, call, {
        role: 'agent',
        number,
        from: call.customer?.number ?? call.caller,
        timeoutSec: group.ringSec,
        signal: ringing.signal,
      });
      if (!placed.media) return;
      if (winner) return void (await placed.media.hangup('normal'));
      winner = placed;
      ringing.abort();
    }),
  );
  signal.removeEventListener('abort', stop);
  return winner;
}

/** Queues the call's customer for `group` until an agent answers (transferred) or the group's timeout. */
export async function queueForGroup(
  d: ControlDeps,
  call: Call,
  group: GroupRecord,
  req: TransferRequest,
  music?: string,
): Promise<TransferOutcome> {
  const customer = call.customer;
  if (!customer?.media) return { status: 'failed', detail: 'the call has no customer leg' };
  const deadline = Date.now() + group.timeoutSec * 1000;
  const signal = AbortSignal.any([req.signal, AbortSignal.timeout(group.timeoutSec * 1000)]);
  await customer.media.hold(music ? { kind: 'file', path: music } : undefined);
  call.setStatus(customer, 'held');
  try {
    while (!signal.aborted && Date.now() < deadline) {
      const numbers = candidates(d, group);
      if (numbers.length === 0) {
        await nextChance(d, Math.min(1000, deadline - Date.now()), signal);
        continue;
      }
      const batch = group.strategy === 'ring-all' ? numbers : numbers.slice(0, 1);
      const answered = await offer(d, call, batch, group, signal);
      if (!answered?.media) continue;
      if (customer.media.state === 'ended') {
        await answered.media.hangup('normal');
        return { status: 'cancelled', detail: 'the caller left while queued' };
      }
      await customer.media.unhold();
      call.setStatus(customer, 'talking');
      await customer.media.bridge(answered.media);
      return { status: 'transferred', detail: `answered by ${answered.leg.number} of group ${group.number}` };
    }
  } finally {
    if (customer.status === 'held' && customer.media.state !== 'ended') {
      await customer.media.unhold();
      call.setStatus(customer, 'talking');
    }
  }
  return req.signal.aborted
    ? { status: 'cancelled', detail: 'the caller left while queued' }
    : { status: 'no-answer', detail: `no agent of group ${group.number} answered in ${group.timeoutSec} s` };
}
