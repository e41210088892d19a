// The outside tester's 0.5 MB document with 30 000 unknown attributes: the API lists 100 problems and counts the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTargets, unknownAttributes } from '../schema/many-problems.ts';
import { call, startApi, type ApiHarness } from './harness.ts';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('problems reported by the API', () => {
  it('caps the problems of a document that does not parse, with the count of the rest', async () => {
    const xml = unknownAttributes(30_000);
    const started = performance.now();
    const res = await fetch(`${api.base}/api/flows`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Hostile', xml }),
    });
    const text = await res.text();
    const ms = performance.now() - started;
    console.log(`POST /api/flows: ${xml.length} bytes in, ${text.length} bytes out, ${ms.toFixed(0)} ms`);
    expect(res.status).toBe(400);
    const { problems } = JSON.parse(text) as { problems: { code: string; omitted?: number }[] };
    expect(problems).toHaveLength(101);
    expect(problems[0].code).toBe('E_UNKNOWN_ATTR');
    expect(problems[100]).toMatchObject({ code: 'E_MORE_PROBLEMS', severity: 'error', omitted: 29_900 });
  });

  it('caps the problems that refuse a publish', async () => {
    await call(api.base, 'POST', '/api/flows', { id: 'gotos', name: 'Gotos', xml: missingTargets(250) });
    const res = await call(api.base, 'POST', '/api/flows/gotos/publish', {});
    expect(res.status).toBe(422);
    expect(res.body.problems).toHaveLength(101);
    expect(res.body.problems[100]).toMatchObject({ code: 'E_MORE_PROBLEMS', omitted: 150 });
  });
});
