// ContactsSrvlt and PreorderSrvlt (manual sections 19, 20) over real HTTP and a real SQLite store: the manual's
// printed examples, duplicates (nothing imported), malformed JSON and oversized bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type ApiHarness } from '../harness.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h?.close();
});

const get = async (path: string, data: string) => {
  const res = await fetch(`${h.base}${path}?data=${encodeURIComponent(data)}`);
  return { status: res.status, text: await res.text() };
};

// Verbatim from the manual (section 19), its unclosed `contacts` array included.
const MANUAL_CONTACTS =
  '{"contacts":[{"cname":"Mr.Lee","localuser":46,"gid":1,"details":[{"tid":1,"cvalue":"13227841198"}, {"tid":2,"cvalue":"4006198112"}]}, {"cname":"Miss.Zhang","localuser":-1,"gid":1,"details":[{"tid":1,"cvalue":"600"}, {"tid":2,"cvalue":"800"}]}}';
// Verbatim from the manual (section 20).
const MANUAL_PREORDERS =
  '{"preorder":[{"cname":"Mr.Wang","telnum":"132278411XX","product":"CallCenterSystem","comment":"Mr.WangsPreorder.","qq":"1234567"}, {"cname":"Miss.Zhu","telnum":"40061994XX","product":"CallCenterSystem","comment":"Miss Zhus preorder","qq":"7654321"}]}';

describe('ContactsSrvlt', () => {
  it("imports the manual's example as printed, with every detail", async () => {
    expect(await get('/bridge/ContactsSrvlt', MANUAL_CONTACTS)).toEqual({ status: 200, text: '200\n' });
    expect(await h.store.contacts.count()).toBe(2);
    const lee = await h.store.contacts.get(1);
    expect(lee).toMatchObject({
      cname: 'Mr.Lee',
      localuser: 46,
      gid: 1,
      details: [
        { tid: 1, cvalue: '13227841198' },
        { tid: 2, cvalue: '4006198112' },
      ],
    });
    expect(await h.store.contacts.get(2)).toMatchObject({ cname: 'Miss.Zhang', localuser: -1 });
  });

  it('refuses a batch with a number already known or repeated (483) and imports none of it', async () => {
    const batch = (n: string) =>
      JSON.stringify({
        contacts: [
          { cname: 'New', localuser: -1, gid: 1, details: [{ tid: 1, cvalue: '13900000001' }] },
          { cname: 'Dup', localuser: -1, gid: 1, details: [{ tid: 2, cvalue: n }] },
        ],
      });
    const known = await get('/bridge/ContactsSrvlt', batch('4006198112'));
    expect(known.status).toBe(483);
    expect(known.text).toMatch(/^483\nduplicate phone number: 4006198112\n$/);
    const repeated = await get('/bridge/ContactsSrvlt', batch('13900000001'));
    expect(repeated.text).toMatch(/^483\n.*13900000001/);
    expect(await h.store.contacts.count()).toBe(2);
  });

  it('takes data by POST, as a form field or as a JSON body', async () => {
    const one = (n: string) => JSON.stringify({ contacts: [{ cname: n, details: [{ tid: 1, cvalue: n }] }] });
    const form = await fetch(`${h.base}/bridge/ContactsSrvlt`, {
      method: 'POST',
      body: new URLSearchParams({ data: one('13900000011') }),
    });
    expect([form.status, await form.text()]).toEqual([200, '200\n']);
    const json = await fetch(`${h.base}/bridge/ContactsSrvlt`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: one('13900000012'),
    });
    expect([json.status, await json.text()]).toEqual([200, '200\n']);
    // Defaults: a public record (-1) in group 1.
    expect(await h.store.contacts.get(4)).toMatchObject({ cname: '13900000012', localuser: -1, gid: 1 });
  });

  it('answers 400 for malformed JSON, a wrong shape, or no data', async () => {
    for (const bad of ['{"contacts":[{"cname":', '[1,2]', '{"contacts":[]}', '{"contacts":[{"cname":""}]}'])
      expect((await get('/bridge/ContactsSrvlt', bad)).text).toMatch(/^400\n/);
    const none = await fetch(`${h.base}/bridge/ContactsSrvlt`);
    expect([none.status, await none.text()]).toEqual([400, '400\nmissing: data\n']);
    const typed = await get('/bridge/ContactsSrvlt', '{"contacts":[{"cname":"X","localuser":"me"}]}');
    expect(typed.text).toMatch(/^400\ninvalid data: contacts\.0\.localuser/);
  });
});

describe('PreorderSrvlt', () => {
  it("imports the manual's example, creating the product once and the customers", async () => {
    expect(await get('/bridge/PreorderSrvlt', MANUAL_PREORDERS)).toEqual({ status: 200, text: '200\n' });
    const list = await h.store.preorders.list();
    expect(list).toHaveLength(2);
    expect(list.map((p) => [p.telnum, p.product, p.qq, p.comment])).toEqual([
      ['132278411XX', 'CallCenterSystem', '1234567', 'Mr.WangsPreorder.'],
      ['40061994XX', 'CallCenterSystem', '7654321', 'Miss Zhus preorder'],
    ]);
    expect(list[0].productId).toBe(list[1].productId);
  });

  it('puts an opportunity on the customer who already has the number', async () => {
    const data = JSON.stringify({ preorder: [{ cname: 'Lee', telnum: '13227841198', product: 'Headsets' }] });
    expect((await get('/bridge/PreorderSrvlt', data)).text).toBe('200\n');
    const p = (await h.store.preorders.list()).find((x) => x.product === 'Headsets');
    // Mr.Lee was contact 1 (ContactsSrvlt above).
    expect(p?.contactId).toBe(1);
  });

  it('refuses a duplicate opportunity (same number and product) with 483, importing none of the batch', async () => {
    const before = (await h.store.preorders.list()).length;
    const data = JSON.stringify({
      preorder: [
        { cname: 'A', telnum: '13600000000', product: 'Headsets' },
        { cname: 'B', telnum: '40061994XX', product: 'CallCenterSystem' },
      ],
    });
    const r = await get('/bridge/PreorderSrvlt', data);
    expect([r.status, r.text]).toEqual([483, '483\nduplicate opportunity: 40061994XX/CallCenterSystem\n']);
    expect(await h.store.preorders.list()).toHaveLength(before);
  });

  it('answers 400 for malformed data', async () => {
    expect((await get('/bridge/PreorderSrvlt', '{"preorder":[{"telnum":"1"}]}')).text).toMatch(
      /^400\ninvalid data: preorder\.0\.product/,
    );
    expect((await get('/bridge/PreorderSrvlt', 'not json')).text).toBe('400\ndata is not valid JSON\n');
  });
});

describe('oversized bodies', () => {
  // Last: the server answers before reading the body and closes the connection.
  it('answers 413 for a body over the cap, without reading it all', async () => {
    const big = 'data=' + 'x'.repeat(2 * 1024 * 1024);
    const res = await fetch(`${h.base}/bridge/ContactsSrvlt`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: big,
    });
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/^413\nbody larger than/);
  });
});
