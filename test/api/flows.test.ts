// The designer's flows API over real HTTP: drafts, publish, versions, rollback, delete, routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startApi, type ApiHarness } from './harness.ts';

const VALID = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:prompt><tns:tts>hello</tns:tts></tns:prompt><tns:hangup/></tns:form>
</tns:vxml>`;
const SEMANTIC_ERROR = `<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main"><tns:goto next="#nowhere"/></tns:form>
</tns:vxml>`;
const NOT_XML = '<tns:vxml xmlns:tns="http://www.example.org/voicemail"><tns:form id="main">';

let api: ApiHarness;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.close();
});

describe('flows', () => {
  it('creates a flow with a generated id, lists it and reads it back', async () => {
    const created = await call(api.base, 'POST', '/api/flows', {
      name: 'Main Menu',
      xml: VALID,
      layout: { a: 1 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: 'main-menu' });
    const again = await call(api.base, 'POST', '/api/flows', { name: 'Main Menu' });
    expect(again.body).toEqual({ id: 'main-menu-2' });
    const list = await call(api.base, 'GET', '/api/flows');
    expect(list.body.map((f: { id: string }) => f.id)).toEqual(['main-menu', 'main-menu-2']);
    expect(list.body[0]).toMatchObject({ name: 'Main Menu', publishedVersion: null });
    expect(typeof list.body[0].updatedAt).toBe('number');
    const one = await call(api.base, 'GET', '/api/flows/main-menu');
    expect(one.body).toMatchObject({
      id: 'main-menu',
      name: 'Main Menu',
      xml: VALID,
      layout: { a: 1 },
      publishedVersion: null,
    });
  });

  it('refuses duplicates, bad ids, bad bodies and unparsable XML', async () => {
    expect((await call(api.base, 'POST', '/api/flows', { id: 'dup', name: 'x' })).status).toBe(201);
    expect((await call(api.base, 'POST', '/api/flows', { id: 'dup', name: 'y' })).status).toBe(409);
    const badId = await call(api.base, 'POST', '/api/flows', { id: '../x', name: 'x' });
    expect(badId.status).toBe(400);
    expect(badId.body.issues[0].path).toBe('id');
    expect((await call(api.base, 'POST', '/api/flows', { xml: VALID })).status).toBe(400);
    expect((await call(api.base, 'POST', '/api/flows', '{not json')).status).toBe(400);
    expect((await call(api.base, 'POST', '/api/flows', { name: 'x', extra: 1 })).status).toBe(400);
    const bad = await call(api.base, 'POST', '/api/flows', { name: 'x', xml: NOT_XML });
    expect(bad.status).toBe(400);
    expect(bad.body.problems.length).toBeGreaterThan(0);
  });

  it('saves drafts: semantic errors allowed, parse errors 400, unknown flow 404', async () => {
    await call(api.base, 'POST', '/api/flows', { id: 'draft', name: 'Draft' });
    const saved = await call(api.base, 'PUT', '/api/flows/draft', { xml: SEMANTIC_ERROR, layout: [1, 2] });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ xml: SEMANTIC_ERROR, layout: [1, 2], name: 'Draft' });
    const broken = await call(api.base, 'PUT', '/api/flows/draft', { xml: NOT_XML });
    expect(broken.status).toBe(400);
    expect(broken.body.problems[0].code).toMatch(/^E_/);
    expect((await call(api.base, 'GET', '/api/flows/draft')).body.xml).toBe(SEMANTIC_ERROR);
    expect((await call(api.base, 'PUT', '/api/flows/nope', { xml: VALID })).status).toBe(404);
    expect((await call(api.base, 'PUT', '/api/flows/draft', { name: 'x' })).status).toBe(400);
  });

  it('publishes only error-free drafts, numbers versions and rolls back', async () => {
    await call(api.base, 'POST', '/api/flows', { id: 'pub', name: 'Pub', xml: SEMANTIC_ERROR });
    const refused = await call(api.base, 'POST', '/api/flows/pub/publish', {});
    expect(refused.status).toBe(422);
    expect(refused.body.problems.some((p: { code: string }) => p.code === 'E_GOTO_TARGET')).toBe(true);

    await call(api.base, 'PUT', '/api/flows/pub', { xml: VALID });
    const v1 = await call(api.base, 'POST', '/api/flows/pub/publish', { author: 'ann', note: 'first' });
    expect(v1.status).toBe(201);
    expect(v1.body.version).toBe(1);
    const second = VALID.replace('hello', 'hello again');
    await call(api.base, 'PUT', '/api/flows/pub', { xml: second });
    expect((await call(api.base, 'POST', '/api/flows/pub/publish')).body.version).toBe(2);
    expect((await call(api.base, 'GET', '/api/flows/pub')).body.publishedVersion).toBe(2);

    const versions = await call(api.base, 'GET', '/api/flows/pub/versions');
    expect(versions.body.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(versions.body[1]).toMatchObject({ author: 'ann', note: 'first' });
    expect(typeof versions.body[1].createdAt).toBe('number');
    const v1Body = await call(api.base, 'GET', '/api/flows/pub/versions/1');
    expect(v1Body.body).toMatchObject({ version: 1, xml: VALID });
    expect((await call(api.base, 'GET', '/api/flows/pub/versions/9')).status).toBe(404);

    const rolled = await call(api.base, 'POST', '/api/flows/pub/rollback', { version: 1 });
    expect(rolled.status).toBe(201);
    expect(rolled.body.version).toBe(3);
    expect((await call(api.base, 'GET', '/api/flows/pub/versions/3')).body.xml).toBe(VALID);
    expect((await call(api.base, 'POST', '/api/flows/pub/rollback', { version: 7 })).status).toBe(404);
    expect((await call(api.base, 'POST', '/api/flows/pub/rollback', { version: 'x' })).status).toBe(400);
    expect((await call(api.base, 'POST', '/api/flows/nope/publish')).status).toBe(404);
  });

  it('routes numbers to existing flows only, and deleting a flow drops its routes', async () => {
    await call(api.base, 'POST', '/api/flows', { id: 'routed', name: 'Routed', xml: VALID });
    const put = await call(api.base, 'PUT', '/api/routes', [{ number: '1000', flowId: 'routed' }]);
    expect(put.status).toBe(200);
    expect((await call(api.base, 'GET', '/api/routes')).body).toEqual([{ number: '1000', flowId: 'routed' }]);
    expect((await call(api.base, 'PUT', '/api/routes', [{ number: '1', flowId: 'ghost' }])).status).toBe(400);
    const dup = [
      { number: '1', flowId: 'routed' },
      { number: '1', flowId: 'routed' },
    ];
    expect((await call(api.base, 'PUT', '/api/routes', dup)).status).toBe(400);
    expect((await call(api.base, 'PUT', '/api/routes', [{ number: 'abc', flowId: 'routed' }])).status).toBe(
      400,
    );

    expect((await call(api.base, 'DELETE', '/api/flows/routed')).status).toBe(204);
    expect((await call(api.base, 'GET', '/api/flows/routed')).status).toBe(404);
    expect((await call(api.base, 'DELETE', '/api/flows/routed')).status).toBe(404);
    expect((await call(api.base, 'GET', '/api/routes')).body).toEqual([]);
  });

  it('caps the body size with 413', async () => {
    const huge = { name: 'x', xml: 'a'.repeat(api.config.http.maxBodyBytes + 10) };
    expect((await call(api.base, 'POST', '/api/flows', huge)).status).toBe(413);
  });
});
