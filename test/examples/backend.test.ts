// The examples backend as a whole: every mount answers, unknown paths are 404 in text, close() stops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExamplesBackend, startExamplesBackend } from '../../examples/backend.ts';
import { startCheckClient, type CheckClient } from './check-client.ts';

let client: CheckClient;
beforeAll(async () => {
  client = await startCheckClient();
});
afterAll(async () => {
  await client.backend.close();
});

describe('startExamplesBackend', () => {
  it('listens on an ephemeral port of 127.0.0.1', () => {
    expect(client.backend.port).toBeGreaterThan(0);
    expect(client.backend.port).not.toBe(8080);
  });

  it('lists the mounted examples at /', async () => {
    const { status, body } = await client.check('/');
    expect(status).toBe(200);
    expect(body).toContain('food-ordering: /Oms/StateHttpTestServlet /0ms/StateHttpTestServlet /orders');
    expect(body).toContain('balance-query: /balance-query/check');
  });

  it('answers an unknown path with 404 NOT_FOUND', async () => {
    expect(await client.check('/Oms/NoSuchServlet?a=member', { input: '13800138000' })).toEqual({
      status: 404,
      body: 'NOT_FOUND',
    });
  });

  it('stops listening on close()', async () => {
    const backend = await startExamplesBackend({ port: 0 });
    const url = `http://127.0.0.1:${backend.port}/orders`;
    expect((await fetch(url)).status).toBe(200);
    await backend.close();
    await expect(fetch(url)).rejects.toThrow();
  });

  it('rejects when the port is taken', async () => {
    await expect(startExamplesBackend({ port: client.backend.port })).rejects.toMatchObject({
      code: 'EADDRINUSE',
    });
  });
});

describe('createExamplesBackend', () => {
  it('gives every app its own memory', async () => {
    const first = createExamplesBackend();
    const second = createExamplesBackend();
    const call = '/Oms/StateHttpTestServlet?callid=mem-1&input=';
    for (const [a, input, expected] of [
      ['member', '13800138000', 'LOGIN_SUCCESS'],
      ['preOrder', '0101', '0101'],
      ['confirmOrder', '1', 'OK'],
    ]) {
      expect(await (await first.request(`${call}${input}&a=${a}`)).text()).toBe(expected);
    }
    expect(await (await first.request('/orders')).json()).toHaveLength(1);
    expect(await (await second.request('/orders')).json()).toEqual([]);
  });
});
