// A test call's trace read as the path it took: each form visited, the keys collected there, each check's
// request and answer, the branch taken and the exit followed, and the canvas edges that path used. Pure.
import { targetId } from '../../../schema/ast.ts';
import { keyOfForm } from '../graph/mapping.ts';
import type { FlowGraph } from '../graph/types.ts';

/** A trace event as the /api/sim WebSocket sends it (runtime/interpreter/trace.ts). */
export interface SimEvent {
  type: string;
  form?: string;
  item?: string;
  [field: string]: unknown;
}

export interface Check {
  url: string;
  status?: number;
  body?: string;
  latencyMs?: number;
  error?: string;
  /** What `input_checked` got. */
  value?: string;
}

export interface Visit {
  form: string;
  digits: { field?: string; digits: string; reason: string }[];
  checks: Check[];
  /** The if branches decided here: the condition that held (or none, index -1). */
  branches: { cond?: string; index: number }[];
  /** Other steps worth reading: transfer, record, assign, hang-up, errors. */
  notes: string[];
  /** How the call left this form: the exit's handle (as the canvas names it) and where it went. */
  exit?: { handle: string; via: 'choice' | 'goto'; key?: string; next: string };
}

/** The trace's item path (`3/elseif/1/0`) as the designer's exit handle (`3.elseifs.1.items.0`). */
export function handleOfItem(item: string): string {
  const parts = item.split('/');
  const out: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (parts[i] === 'elseif') {
      out.push('elseifs', parts[i + 1], 'items');
      i++;
    } else out.push(parts[i]);
  }
  return out.join('.');
}

const text = (v: unknown): string | undefined => (v === undefined ? undefined : String(v));

function note(e: SimEvent): string | undefined {
  if (e.type === 'transfer') return `transfer ${text(e.dest)}: ${text(e.status)}`;
  if (e.type === 'record')
    return `record ${text(e.name)}${e.durationMs !== undefined ? ` ${text(e.durationMs)} ms` : ''}`;
  if (e.type === 'assign') return `${text(e.name)} = '${text(e.value)}'`;
  if (e.type === 'hangup') return e.reason && e.reason !== 'hangup' ? `hangup (${text(e.reason)})` : 'hangup';
  if (e.type === 'error') return `${text(e.code)}: ${text(e.message)}`;
  return undefined;
}

/** The forms the call went through, in order, with what happened in each. */
export function visitsOf(events: SimEvent[]): Visit[] {
  const visits: Visit[] = [];
  for (const e of events) {
    if (e.type === 'form.enter' && e.form !== undefined) {
      visits.push({ form: e.form, digits: [], checks: [], branches: [], notes: [] });
      continue;
    }
    const here = visits[visits.length - 1];
    if (!here) continue;
    if (e.type === 'collect.end') {
      here.digits.push({ field: text(e.field), digits: text(e.digits) ?? '', reason: text(e.reason) ?? '' });
    } else if (e.type === 'check.request') here.checks.push({ url: text(e.url) ?? '' });
    else if (e.type === 'check.response') {
      const check = here.checks[here.checks.length - 1] ?? { url: text(e.url) ?? '' };
      if (!here.checks.includes(check)) here.checks.push(check);
      Object.assign(check, {
        status: e.status as number | undefined,
        body: text(e.body),
        latencyMs: e.latencyMs as number | undefined,
        error: text(e.error),
        value: text(e.value),
      });
    } else if (e.type === 'branch') here.branches.push({ cond: text(e.cond), index: Number(e.index) });
    else if ((e.type === 'goto' || e.type === 'choice') && e.item !== undefined) {
      here.exit = {
        handle: handleOfItem(e.item),
        via: e.type,
        key: e.type === 'choice' ? text(e.dtmf) : undefined,
        next: text(e.next) ?? '',
      };
    } else {
      const line = note(e);
      if (line) here.notes.push(line);
    }
  }
  return visits;
}

/** The canvas edges (`<node key>:<handle>`) the call followed from one form to another. */
export function takenEdges(graph: FlowGraph, visits: Visit[]): Set<string> {
  const out = new Set<string>();
  for (const v of visits) {
    const key = keyOfForm(graph.nodes, v.form);
    const target = v.exit && targetId(v.exit.next);
    if (key && v.exit && target !== undefined && keyOfForm(graph.nodes, target))
      out.add(`${key}:${v.exit.handle}`);
  }
  return out;
}
