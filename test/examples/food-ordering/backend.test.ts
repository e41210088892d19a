// The food-ordering check backend over real HTTP: the manual's StateHttpTestServlet answers and GET /orders.
import { describe, expect, it } from 'vitest';
import { checkClientPerFile } from '../check-client.ts';

const MEMBER = '/Oms/StateHttpTestServlet?a=member';
const PRE_ORDER = '/Oms/StateHttpTestServlet?a=preOrder';
const CONFIRM = '/Oms/StateHttpTestServlet?a=confirmOrder';

const backend = checkClientPerFile();
const answer = backend.answer;

describe('a=member', () => {
  it.each([
    ['13800138000', 'LOGIN_SUCCESS'],
    ['19912345678', 'LOGIN_SUCCESS'],
    ['1380013800', 'LOGIN_ERROR'],
    ['138001380001', 'LOGIN_ERROR'],
    ['23800138000', 'LOGIN_ERROR'],
    ['1380013800a', 'LOGIN_ERROR'],
    ['', 'LOGIN_ERROR'],
  ])('answers %j with %s', async (input, expected) => {
    expect(await answer(MEMBER, `member-${input}`, input)).toBe(expected);
  });

  it('answers LOGIN_ERROR when input is missing', async () => {
    expect(await backend.client().check('/0ms/StateHttpTestServlet?a=member')).toEqual({
      status: 200,
      body: 'LOGIN_ERROR',
    });
  });
});

describe('a=preOrder', () => {
  it.each([
    ['0101', '0101'],
    ['0102', '0102'],
    ['0103', 'GOODS_FALSE'],
    ['0104', 'GOODS_ERROR'],
    ['101', 'GOODS_ERROR'],
    ['', 'GOODS_ERROR'],
  ])('answers %j with %s', async (input, expected) => {
    expect(await answer(PRE_ORDER, 'pre-order', input)).toBe(expected);
  });

  it('answers GOODS_ERROR when input is missing', async () => {
    expect(await backend.client().check(PRE_ORDER)).toEqual({ status: 200, body: 'GOODS_ERROR' });
  });
});

describe('a=confirmOrder', () => {
  it('records confirmed items per call, across the /Oms and /0ms contexts', async () => {
    const callid = 'order-1@127.0.0.1';
    expect(await answer('/0ms/StateHttpTestServlet?a=member', callid, '13900001111')).toBe('LOGIN_SUCCESS');
    expect(await answer(PRE_ORDER, callid, '0101')).toBe('0101');
    expect(await answer('/0ms/StateHttpTestServlet?a=confirmOrder', callid, '2')).toBe('OK');
    expect(await answer(PRE_ORDER, callid, '0102')).toBe('0102');
    expect(await answer(CONFIRM, callid, '9')).toBe('CONFIRM_ERROR');
    expect(await answer(CONFIRM, callid, '1')).toBe('OK');

    const orders = (await backend.client().getJson('/orders')) as {
      callid: string;
      member: string;
      items: string[];
    }[];
    const order = orders.find((o) => o.callid === callid);
    expect(order).toMatchObject({ member: '13900001111', items: ['0101', '0102'] });
  });

  it('answers NO_ORDER when the call has no announced item', async () => {
    const callid = 'order-2@127.0.0.1';
    expect(await answer(CONFIRM, callid, '1')).toBe('NO_ORDER');
    expect(await answer(MEMBER, callid, '13900002222')).toBe('LOGIN_SUCCESS');
    expect(await answer(CONFIRM, callid, '1')).toBe('NO_ORDER');
    expect(await answer(PRE_ORDER, callid, '0101')).toBe('0101');
    expect(await answer(CONFIRM, callid, '1')).toBe('OK');
    // The item was confirmed once; a second confirmation has nothing left to confirm.
    expect(await answer(CONFIRM, callid, '1')).toBe('NO_ORDER');
    const orders = (await backend.client().getJson('/orders')) as { callid: string; items: string[] }[];
    expect(orders.find((o) => o.callid === callid)?.items).toEqual(['0101']);
  });

  it('answers CONFIRM_ERROR when input is missing', async () => {
    expect(await backend.client().check(CONFIRM, { callid: 'order-3' })).toEqual({
      status: 200,
      body: 'CONFIRM_ERROR',
    });
  });
});

describe('the servlet', () => {
  it('refuses an unknown or missing action with 400 UNKNOWN_ACTION', async () => {
    expect(await backend.client().check('/Oms/StateHttpTestServlet?a=refund', { input: '1' })).toEqual({
      status: 400,
      body: 'UNKNOWN_ACTION',
    });
    expect(await backend.client().check('/Oms/StateHttpTestServlet')).toEqual({
      status: 400,
      body: 'UNKNOWN_ACTION',
    });
    expect(await backend.client().check('/Oms/StateHttpTestServlet?a=toString')).toEqual({
      status: 400,
      body: 'UNKNOWN_ACTION',
    });
  });

  it('answers in plain text', async () => {
    const response = await fetch(
      `http://127.0.0.1:${backend.client().backend.port}/Oms/StateHttpTestServlet?a=member&input=13800138000`,
    );
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  });
});
