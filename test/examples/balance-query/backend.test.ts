// The balance-query check backend over real HTTP: account, PIN (with locking) and the balance query.
import { describe, expect, it } from 'vitest';
import { checkClientPerFile } from '../check-client.ts';

const ACCOUNT = '/balance-query/check?a=account';
const PIN = '/balance-query/check?a=pin';
const QUERY = '/balance-query/check?a=query';

const backend = checkClientPerFile();
const answer = backend.answer;

describe('a=account', () => {
  it.each([
    ['6222000011112222', 'OK'],
    ['6222000055556666', 'LOCKED'],
    ['6222000099999999', 'NO_ACCOUNT'],
    ['', 'NO_ACCOUNT'],
  ])('answers %j with %s', async (input, expected) => {
    expect(await answer(ACCOUNT, `account-${input}`, input)).toBe(expected);
  });

  it('answers NO_ACCOUNT when input is missing', async () => {
    expect(await backend.client().check(ACCOUNT)).toEqual({ status: 200, body: 'NO_ACCOUNT' });
  });
});

describe('a call', () => {
  it('enters account and PIN, then hears the balance', async () => {
    const callid = 'bank-1@127.0.0.1';
    expect(await answer(QUERY, callid, '1')).toBe('NOT_VERIFIED');
    expect(await answer(ACCOUNT, callid, '6222000011112222')).toBe('OK');
    expect(await answer(QUERY, callid, '1')).toBe('NOT_VERIFIED');
    expect(await answer(PIN, callid, '000000')).toBe('BAD_PIN');
    expect(await answer(PIN, callid, '123456')).toBe('OK');
    expect(await answer(QUERY, callid, '1')).toBe('1234.56');
    expect(await answer(QUERY, callid, '0')).toBe('UNKNOWN_SERVICE');
  });

  it('reads a zero balance with two decimals', async () => {
    const callid = 'bank-2@127.0.0.1';
    expect(await answer(ACCOUNT, callid, '6222000033334444')).toBe('OK');
    expect(await answer(PIN, callid, '654321')).toBe('OK');
    expect(await answer(QUERY, callid, '1')).toBe('0.00');
  });

  it('is not verified by another call', async () => {
    expect(await answer(ACCOUNT, 'bank-3a', '6222000033334444')).toBe('OK');
    expect(await answer(PIN, 'bank-3a', '654321')).toBe('OK');
    expect(await answer(QUERY, 'bank-3b', '1')).toBe('NOT_VERIFIED');
    expect(await answer(PIN, 'bank-3b', '654321')).toBe('NO_ACCOUNT');
  });

  it('locks the account on the third wrong PIN in a row, for every later call', async () => {
    const callid = 'bank-4@127.0.0.1';
    expect(await answer(ACCOUNT, callid, '6222000011112222')).toBe('OK');
    expect(await answer(PIN, callid, '111111')).toBe('BAD_PIN');
    expect(await answer(PIN, callid, '')).toBe('BAD_PIN');
    expect(await answer(PIN, callid, '222222')).toBe('LOCKED');
    expect(await answer(PIN, callid, '123456')).toBe('LOCKED');
    expect(await answer(QUERY, callid, '1')).toBe('NOT_VERIFIED');
    expect(await answer(ACCOUNT, 'bank-5@127.0.0.1', '6222000011112222')).toBe('LOCKED');
  });

  it('answers NO_ACCOUNT for a PIN without a call id', async () => {
    expect(await backend.client().check(PIN, { input: '123456' })).toEqual({
      status: 200,
      body: 'NO_ACCOUNT',
    });
  });
});

it('refuses an unknown action with 400 UNKNOWN_ACTION', async () => {
  expect(await backend.client().check('/balance-query/check?a=transfer', { input: '1' })).toEqual({
    status: 400,
    body: 'UNKNOWN_ACTION',
  });
});
