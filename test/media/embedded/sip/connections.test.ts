// The TCP connection table: per-source caps, who makes room at the total cap, and what idleness may close.
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ConnectionTable } from '../../../../runtime/media/embedded/sip/connections.ts';

/** Stands in for a socket: the table only ever closes it. */
function socket(): Socket & { closed: boolean } {
  const s = { closed: false, destroy: () => ((s.closed = true), s) };
  return s as unknown as Socket & { closed: boolean };
}

describe('ConnectionTable', () => {
  it('refuses accepted connections over the per-source cap but never ones we dialled', () => {
    const t = new ConnectionTable({ maxConnectionsPerSource: 1, maxConnections: 10 });
    expect(t.add('a:1', socket(), 'a', false)).toBe(true);
    expect(t.add('a:2', socket(), 'a', false)).toBe(false);
    expect(t.add('a:5060', socket(), 'a', true)).toBe(true);
    expect(t.add('b:1', socket(), 'b', false)).toBe(true);
    expect(t.size).toBe(3);
  });

  it('makes room at the cap: silent sockets first, then idle ones without a call or binding', () => {
    const t = new ConnectionTable({ maxConnections: 3 });
    const call = socket();
    const registered = socket();
    const silent = socket();
    t.add('call', call, 'p1', false);
    t.touch('call', true);
    t.hold('call');
    t.add('reg', registered, 'p2', false);
    t.touch('reg', true);
    t.keepOpenUntil('reg', Date.now() + 60_000);
    t.add('silent', silent, 'x', false);
    const idle = socket();
    t.add('idle', idle, 'p3', false); // full: the silent one goes
    expect([silent.closed, call.closed, registered.closed]).toEqual([true, false, false]);
    t.touch('idle', true);
    const next = socket();
    t.add('next', next, 'p4', false); // full again: the phone with nothing on it goes before the held ones
    expect([idle.closed, call.closed, registered.closed]).toEqual([true, false, false]);
    expect(t.size).toBe(3);
  });

  it('lets idleness close a connection only when no dialog holds it and no binding keeps it', () => {
    const t = new ConnectionTable();
    t.add('k', socket(), 'a', false);
    expect(t.closable('k')).toBe(true);
    const release = t.hold('k');
    const release2 = t.hold('k');
    expect(t.closable('k')).toBe(false);
    release();
    release(); // idempotent
    expect(t.closable('k')).toBe(false);
    release2();
    expect(t.closable('k')).toBe(true);
    t.keepOpenUntil('k', Date.now() - 1);
    expect(t.closable('k')).toBe(true);
    t.keepOpenUntil('k', Date.now() + 60_000);
    expect(t.closable('k')).toBe(false);
  });
});
