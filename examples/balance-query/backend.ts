// The check backend of the balance-query example: GET /check?a=account|pin|query over demo accounts kept in
// memory; per call it remembers the account entered and whether the PIN was right.
import { Hono } from 'hono';
import type { Context } from 'hono';
import { CallMemory } from '../call-memory.ts';

interface Account {
  pin: string;
  /** In yuan, read to the caller with two decimals. */
  balance: number;
  locked: boolean;
  /** Wrong PINs in a row; the third locks the account. */
  wrongPins: number;
}

/** Wrong PINs in a row that lock an account. */
export const MAX_WRONG_PINS = 3;

/** The demo accounts, documented in README.md. */
export function demoAccounts(): Map<string, Account> {
  const open = (pin: string, balance: number): Account => ({ pin, balance, locked: false, wrongPins: 0 });
  return new Map([
    ['6222000011112222', open('123456', 1234.56)],
    ['6222000033334444', open('654321', 0)],
    ['6222000055556666', { ...open('111111', 88), locked: true }],
  ]);
}

interface CallState {
  account: string;
  verified: boolean;
}

interface Bank {
  accounts: Map<string, Account>;
  calls: CallMemory<CallState>;
}

/** a=account: OK (and remembered for this call), NO_ACCOUNT or LOCKED. */
function account(bank: Bank, input: string, callid: string): string {
  const found = bank.accounts.get(input);
  if (!found) return 'NO_ACCOUNT';
  if (found.locked) return 'LOCKED';
  if (callid) bank.calls.set(callid, { account: input, verified: false });
  return 'OK';
}

/** a=pin: OK, BAD_PIN, LOCKED (the third wrong PIN in a row), or NO_ACCOUNT when no account was entered. */
function pin(bank: Bank, input: string, callid: string): string {
  const call = bank.calls.get(callid);
  const found = call && bank.accounts.get(call.account);
  if (!call || !found) return 'NO_ACCOUNT';
  if (found.locked) return 'LOCKED';
  if (input === found.pin) {
    found.wrongPins = 0;
    bank.calls.set(callid, { ...call, verified: true });
    return 'OK';
  }
  found.wrongPins += 1;
  if (found.wrongPins < MAX_WRONG_PINS) return 'BAD_PIN';
  found.locked = true;
  return 'LOCKED';
}

/** a=query: key 1 answers the balance (e.g. 1234.56) once the PIN was right on this call. */
function query(bank: Bank, input: string, callid: string): string {
  const call = bank.calls.get(callid);
  const found = call?.verified ? bank.accounts.get(call.account) : undefined;
  if (!found) return 'NOT_VERIFIED';
  return input === '1' ? found.balance.toFixed(2) : 'UNKNOWN_SERVICE';
}

const ACTIONS = new Map<string, (bank: Bank, input: string, callid: string) => string>([
  ['account', account],
  ['pin', pin],
  ['query', query],
]);

/** A fresh backend with its own accounts and call memory; `app` below is the shared one. */
export function createBalanceQueryApp(accounts = demoAccounts()): Hono {
  const bank: Bank = { accounts, calls: new CallMemory<CallState>() };
  const app = new Hono();
  app.get('/check', (c: Context) => {
    const action = ACTIONS.get(c.req.query('a') ?? '');
    if (!action) return c.text('UNKNOWN_ACTION', 400);
    return c.text(action(bank, c.req.query('input') ?? '', c.req.query('callid') ?? ''));
  });
  return app;
}

export const app = createBalanceQueryApp();
