// The spawner's helper process: programs run with an argument array and stdin, answers matched to requests,
// failures, time and size limits.
import { afterAll, describe, expect, it } from 'vitest';
import { Spawner } from '../../../runtime/media/audio/spawner.ts';

const spawner = new Spawner();
afterAll(() => spawner.stop());

const limits = { timeoutMs: 5000, maxBytes: 1024 };

describe('Spawner', () => {
  it('runs programs in its helper and answers each request with its own output', async () => {
    const outs = await Promise.all(
      ['one', 'two', 'three', 'four'].map((w) => spawner.run('cat', [], { ...limits, input: w })),
    );
    expect(outs.map((b) => b.toString())).toEqual(['one', 'two', 'three', 'four']);
    // Arguments are arguments, not shell words.
    const echo = await spawner.run('echo', ['$(id)', ';', 'x'], { ...limits, input: '' });
    expect(echo.toString()).toBe('$(id) ; x\n');
  });

  it('fails for a program that cannot run, exits non-zero, takes too long or says too much', async () => {
    await expect(spawner.run('/nonexistent/prog', [], { ...limits, input: '' })).rejects.toThrow(/ENOENT/);
    await expect(spawner.run('false', [], { ...limits, input: '' })).rejects.toThrow(/failed \(1\)/);
    await expect(spawner.run('sleep', ['5'], { ...limits, timeoutMs: 200, input: '' })).rejects.toThrow(
      /timed out after 200 ms/,
    );
    await expect(spawner.run('cat', [], { ...limits, input: 'x'.repeat(5000) })).rejects.toThrow(
      /exceeds 1024/,
    );
    // Still answering after the failures.
    expect((await spawner.run('cat', [], { ...limits, input: 'ok' })).toString()).toBe('ok');
  });
});
