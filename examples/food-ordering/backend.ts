// The check backend of the food-ordering example: the manual's StateHttpTestServlet (a=member, preOrder,
// confirmOrder) and GET /orders, keeping members, pending items and orders in memory per callid.
import { Hono } from 'hono';
import type { Context } from 'hono';
import { CallMemory } from '../call-memory.ts';

/** Item codes on the menu, and those sold out today. */
const MENU = new Set(['0101', '0102']);
const SOLD_OUT = new Set(['0103']);

export interface Order {
  callid: string;
  /** The member's phone number, as verified by a=member on this call. */
  member: string;
  /** Confirmed item codes in the order they were confirmed. */
  items: string[];
  /** Milliseconds since the epoch of the last confirmation. */
  updatedAt: number;
}

interface CallState {
  member: string;
  /** The item announced and waiting for confirmation. */
  pending?: string;
  order?: Order;
}

interface CheckRequest {
  input: string;
  callid: string;
}

/** a=member: an 11-digit mobile number starting with 1 is a member. */
function member(book: CallMemory<CallState>, { input, callid }: CheckRequest): string {
  if (!/^1\d{10}$/.test(input)) return 'LOGIN_ERROR';
  if (callid) book.set(callid, { member: input });
  return 'LOGIN_SUCCESS';
}

/** a=preOrder: a menu item answers its own code (the flow jumps to the form of that id). */
function preOrder(book: CallMemory<CallState>, { input, callid }: CheckRequest): string {
  if (SOLD_OUT.has(input)) return 'GOODS_FALSE';
  if (!MENU.has(input)) return 'GOODS_ERROR';
  const state = book.get(callid);
  if (state) book.set(callid, { ...state, pending: input });
  return input;
}

/** a=confirmOrder: keys 1 and 2 both confirm the pending item (1 then finishes, 2 keeps ordering). */
function confirmOrder(book: CallMemory<CallState>, { input, callid }: CheckRequest): string {
  if (input !== '1' && input !== '2') return 'CONFIRM_ERROR';
  const state = book.get(callid);
  if (!state?.pending) return 'NO_ORDER';
  const order = state.order ?? { callid, member: state.member, items: [], updatedAt: 0 };
  const confirmed: Order = { ...order, items: [...order.items, state.pending], updatedAt: Date.now() };
  book.set(callid, { member: state.member, order: confirmed });
  return 'OK';
}

const ACTIONS = new Map<string, (book: CallMemory<CallState>, request: CheckRequest) => string>([
  ['member', member],
  ['preOrder', preOrder],
  ['confirmOrder', confirmOrder],
]);

/** A fresh backend with its own memory (of at most MAX_CALLS calls); `app` below is the shared one. */
export function createFoodOrderingApp(): Hono {
  const book = new CallMemory<CallState>();
  const app = new Hono();
  const servlet = (c: Context) => {
    const action = ACTIONS.get(c.req.query('a') ?? '');
    if (!action) return c.text('UNKNOWN_ACTION', 400);
    return c.text(action(book, { input: c.req.query('input') ?? '', callid: c.req.query('callid') ?? '' }));
  };
  // The manual prints the context both with a letter O and with a digit zero; both reach the same memory.
  app.get('/Oms/StateHttpTestServlet', servlet);
  app.get('/0ms/StateHttpTestServlet', servlet);
  app.get('/orders', (c) => c.json(book.values().flatMap((state) => (state.order ? [state.order] : []))));
  return app;
}

export const app = createFoodOrderingApp();
