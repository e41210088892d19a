// The extensions and groups API: changes apply at once (EXTNUM_STATE sees them), passwords are never shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, type ApiHarness } from './harness.ts';

let api: ApiHarness;

beforeAll(async () => {
  api = await startApi({ overrides: { extensions: [{ number: '801', password: 'pw-801-x' }] } });
});
afterAll(async () => {
  await api.close();
});

const extnums = async () =>
  (
    JSON.parse(await (await fetch(`${api.base}/bridge/jsoncfg?opt=EXTNUM_STATE`)).text()) as {
      telNum: string;
    }[]
  ).map((e) => e.telNum);

describe('/api/extensions and /api/groups', () => {
  it('adds a group and an extension in it, lists them without passwords, and deletes them', async () => {
    expect(
      await call(api.base, 'PUT', '/api/groups/3000', { name: 'Desk', strategy: 'ring-all' }),
    ).toMatchObject({
      status: 200,
      body: { number: '3000', name: 'Desk', strategy: 'ring-all', ringSec: 20, timeoutSec: 120 },
    });
    const put = await call(api.base, 'PUT', '/api/extensions/806', {
      password: 'pw-806-x',
      name: '王芳',
      group: '3000',
      permissions: ['monitor'],
    });
    expect(put).toMatchObject({ status: 200, body: { number: '806', name: '王芳', group: '3000' } });
    expect(put.body.password).toBeUndefined();
    expect(await extnums()).toEqual(['801', '806']);
    const groups = await call(api.base, 'GET', '/api/groups');
    expect(groups.body).toEqual([expect.objectContaining({ number: '3000', members: ['806'] })]);
    expect(JSON.stringify((await call(api.base, 'GET', '/api/extensions')).body)).not.toContain('pw-');
    expect((await call(api.base, 'DELETE', '/api/groups/3000')).status).toBe(204);
    expect((await call(api.base, 'GET', '/api/extensions')).body).toContainEqual(
      expect.objectContaining({ number: '806', group: null }),
    );
    expect((await call(api.base, 'DELETE', '/api/extensions/806')).status).toBe(204);
    expect((await call(api.base, 'DELETE', '/api/extensions/806')).status).toBe(404);
    expect(await extnums()).toEqual(['801']);
  });

  it.each([
    ['/api/extensions/8%2006', { password: 'pw-123' }],
    ['/api/extensions/807', { password: 'pw' }],
    ['/api/extensions/807', { password: 'pw-807-x', group: '9999' }],
    ['/api/extensions/807', { password: 'pw-807-x', permissions: ['root'] }],
    ['/api/extensions/807', { password: 'pw-807-x', colour: 'red' }],
    ['/api/groups/3001', { strategy: 'random' }],
    ['/api/groups/3001', { ringSec: 1 }],
  ])('refuses PUT %s %j with 400', async (path, body) => {
    expect((await call(api.base, 'PUT', path, body)).status).toBe(400);
  });

  it('keeps extension and group numbers apart (409)', async () => {
    expect((await call(api.base, 'PUT', '/api/groups/801', {})).status).toBe(409);
  });
});
