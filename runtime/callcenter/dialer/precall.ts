// Pre-calling (manual section 3, `precallcount`): a task whose call goes to agents is dialled only while its
// agents can take it — free agents, plus up to `precallcount` customers dialled ahead while every agent is busy.
import type { Directory } from '../extensions/directory.ts';
import type { ExtensionStates } from '../extensions/live-state.ts';

export interface AgentView {
  directory: Pick<Directory, 'group' | 'membersOf' | 'isExtension'>;
  states: Pick<ExtensionStates, 'isFree' | 'presenceOf'>;
}

/** Agents of an extension or group who could take a call now (registered, in no call, presence not `busy`). */
export function freeAgents(d: AgentView, target: string): number {
  const numbers = d.directory.group(target)
    ? d.directory.membersOf(target).map((e) => e.number)
    : d.directory.isExtension(target)
      ? [target]
      : [];
  return numbers.filter((n) => d.states.isFree(n) && d.states.presenceOf(n) !== 'busy').length;
}

/**
 * Whether one more customer may be dialled for `target`: `inFlight` counts the dialer's calls for it not yet
 * handed to an agent (ringing, playing, waiting in the queue).
 */
export function mayPrecall(d: AgentView, target: string, precallcount: number, inFlight: number): boolean {
  return inFlight < freeAgents(d, target) + precallcount;
}
