// CallMemory: per-call state that stays bounded by forgetting the oldest calls.
import { describe, expect, it } from 'vitest';
import { CallMemory, MAX_CALLS } from '../../examples/call-memory.ts';

describe('CallMemory', () => {
  it('keeps at most its capacity, forgetting the call stored longest ago', () => {
    const memory = new CallMemory<number>(3);
    for (const [i, callid] of ['a', 'b', 'c', 'd'].entries()) memory.set(callid, i);
    expect(memory.size).toBe(3);
    expect(memory.get('a')).toBeUndefined();
    expect(memory.values()).toEqual([1, 2, 3]);
  });

  it('counts storing again as recent use', () => {
    const memory = new CallMemory<string>(2);
    memory.set('a', 'first');
    memory.set('b', 'second');
    memory.set('a', 'again');
    memory.set('c', 'third');
    expect(memory.get('b')).toBeUndefined();
    expect(memory.get('a')).toBe('again');
  });

  it('defaults to MAX_CALLS', () => {
    const memory = new CallMemory<number>();
    for (let i = 0; i < MAX_CALLS + 50; i += 1) memory.set(`call-${i}`, i);
    expect(memory.size).toBe(MAX_CALLS);
    expect(memory.get('call-49')).toBeUndefined();
    expect(memory.get('call-50')).toBe(50);
  });
});
