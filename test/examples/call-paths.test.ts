// The call paths each example's README documents, run on the real interpreter with scripted keys against the
// real examples backend.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Document } from '../../schema/ast.ts';
import { parse } from '../../schema/parse.ts';
import { startCheckClient, type CheckClient } from './check-client.ts';
import { EXAMPLES_DIR } from './flows.ts';
import { walkCall, type CheckFn } from './walk.ts';

let client: CheckClient;
let calls = 0;
beforeAll(async () => {
  client = await startCheckClient();
});
afterAll(async () => {
  await client.backend.close();
});

function flow(name: string): Document {
  return parse(readFileSync(join(EXAMPLES_DIR, name, 'flow.xml'), 'utf8'));
}

/** Sends checks to the test backend, with the parameters the runtime appends, for one new call id. */
function backendCheck(): { callid: string; check: CheckFn } {
  calls += 1;
  const callid = `walk-${calls}@127.0.0.1`;
  const check: CheckFn = async (url, input, form, field) => {
    const { pathname, search } = new URL(url);
    const params = { input, caller: '13800138000', callee: '4008001234', callid, form, field };
    const { status, body } = await client.check(pathname + search, params);
    return status === 200 ? body.trim() : 'CHECK_ERROR';
  };
  return { callid, check };
}

/** A backend that never answers in time, as the runtime sees it. */
const downCheck: CheckFn = async () => 'CHECK_ERROR';

const noCheck: CheckFn = async (url) => {
  throw new Error(`unexpected check ${url}`);
};

describe('food-ordering', () => {
  const document = flow('food-ordering');

  it('orders one item and finishes', async () => {
    const { callid, check } = backendCheck();
    const call = await walkCall(document, ['13800138000', '0101', '1', ''], check);
    expect(call.forms).toEqual([
      'main',
      'input_telnum',
      'order',
      '0101',
      'input_goods_confirm',
      'finish_order',
    ]);
    expect(call.played).toContain('[FILE_PATH]/delicious/list/list_001.wav');
    expect(call.end).toBe('hangup');
    const orders = (await client.getJson('/orders')) as { callid: string; items: string[] }[];
    expect(orders.find((order) => order.callid === callid)?.items).toEqual(['0101']);
  });

  it('retries a wrong number, skips a sold-out item and orders two', async () => {
    const { callid, check } = backendCheck();
    const keys = ['12345', '13800138000', '0103', '9999', '0102', '2', '0101', '7', '1', '5'];
    const call = await walkCall(document, keys, check);
    expect(call.forms).toEqual([
      'main',
      'input_telnum',
      'input_telnum',
      'order',
      'order',
      'order',
      '0102',
      'input_goods_confirm',
      'order',
      '0101',
      'input_goods_confirm',
      'input_goods_confirm',
      'finish_order',
    ]);
    expect(call.played.filter((src) => /login_error|goods_false|goods_error/.test(src))).toEqual([
      '[FILE_PATH]/delicious/login_error.wav',
      '[FILE_PATH]/delicious/goods_false.wav',
      '[FILE_PATH]/delicious/goods_error.wav',
    ]);
    const orders = (await client.getJson('/orders')) as { callid: string; items: string[] }[];
    expect(orders.find((order) => order.callid === callid)?.items).toEqual(['0102', '0101']);
  });

  it('says goodbye when the caller presses nothing', async () => {
    const call = await walkCall(document, [''], noCheck);
    expect(call.forms).toEqual(['main', 'input_telnum', 'no_input']);
    expect(call.end).toBe('hangup');
  });

  it('apologises and transfers to the agent group when the backend is down', async () => {
    const call = await walkCall(document, ['13800138000'], downCheck);
    expect(call.forms).toEqual(['main', 'input_telnum', 'service_error']);
    expect(call.played.at(-1)).toBe('[FILE_PATH]/delicious/sorry.wav');
    expect(call.end).toBe('transfer:8000');
  });
});

describe('balance-query', () => {
  const document = flow('balance-query');

  it('reads the balance after account and PIN', async () => {
    const { check } = backendCheck();
    const call = await walkCall(document, ['6222000011112222', '000000', '123456', '1', '1', '9'], check);
    expect(call.forms).toEqual([
      'main',
      'input_account',
      'input_pin',
      'input_pin',
      'services',
      'balance',
      'balance',
      'goodbye',
    ]);
    expect(call.played.filter((text) => text.startsWith('您的账户余额'))).toEqual([
      '您的账户余额为 1234.56 元。',
      '您的账户余额为 1234.56 元。',
    ]);
    expect(call.end).toBe('hangup');
  });

  it('locks the account on the third wrong PIN', async () => {
    const { check } = backendCheck();
    const call = await walkCall(document, ['6222000033334444', '111111', '222222', '333333'], check);
    expect(call.forms).toEqual(['main', 'input_account', 'input_pin', 'input_pin', 'input_pin', 'locked']);
    expect(call.end).toBe('hangup');
  });

  it('asks again for an unknown account and transfers on 0', async () => {
    const { check } = backendCheck();
    const call = await walkCall(document, ['1234', '6222000011112222', '123456', '0'], check);
    expect(call.forms).toEqual(['main', 'input_account', 'input_account', 'input_pin', 'services', 'agent']);
    expect(call.end).toBe('transfer:8000');
  });

  it('transfers when the bank does not answer', async () => {
    const call = await walkCall(document, ['6222000011112222'], downCheck);
    expect(call.forms.at(-1)).toBe('service_error');
    expect(call.end).toBe('transfer:8000');
  });
});

describe('satisfaction-survey', () => {
  const document = flow('satisfaction-survey');
  const tts = { ttsname: '张三', ttscompany: '美味快餐', ttsbusiness: '会员卡' };

  it('greets by name and ends on a good rating', async () => {
    const call = await walkCall(document, ['1'], noCheck, tts);
    expect(call.played[0]).toContain('尊敬的张三客户，您好！这里是美味快餐客服中心。您近期办理的会员卡业务');
    expect(call.forms).toEqual(['main', 'rate', 'thanks']);
    expect(call.vars.get('satisfact')).toBe('1');
  });

  it('records a comment after a bad rating, asking again after a wrong key', async () => {
    const call = await walkCall(document, ['8', '3', '1'], noCheck, tts);
    expect(call.forms).toEqual(['main', 'rate', 'rate', 'ask_comment', 'comment', 'thanks']);
    expect(call.recorded).toEqual(['survey_comment']);
    expect([call.vars.get('satisfact'), call.vars.get('comment_wanted')]).toEqual(['3', '1']);
  });

  it('ends politely without an answer', async () => {
    const call = await walkCall(document, [''], noCheck, tts);
    expect(call.forms).toEqual(['main', 'rate', 'no_answer']);
    expect(call.end).toBe('hangup');
  });
});

describe('captcha', () => {
  const document = flow('captcha');

  it('reads the code, again on 1, then says goodbye', async () => {
    const call = await walkCall(document, ['1', ''], noCheck, { code: '493817' });
    expect(call.forms).toEqual(['main', 'read_code', 'read_code', 'goodbye']);
    // Once, cut short by the 1; then twice (repeat="2") while the callee stays silent.
    expect(call.played.filter((text) => text.includes('493817'))).toHaveLength(3);
    expect(call.end).toBe('hangup');
  });
});

describe('after-hours', () => {
  const document = flow('after-hours');

  it.each([
    [['1'], 'voicemail', 'hangup'],
    [['2'], 'agents', 'transfer:8000'],
    [['0'], 'operator', 'transfer:801'],
    [['7', '2'], 'agents', 'transfer:8000'],
    [['', ''], 'goodbye', 'hangup'],
  ])('keys %j end in %s with %s', async (keys, last, end) => {
    const call = await walkCall(document, keys, noCheck);
    expect(call.forms.at(-1)).toBe(last);
    expect(call.end).toBe(end);
  });

  it('takes a private voicemail', async () => {
    const call = await walkCall(document, ['1'], noCheck);
    expect(call.recorded).toEqual(['voicemail']);
    expect(call.played.at(-1)).toBe('[FILE_PATH]/after_hours/message_saved.wav');
  });

  it('repeats the menu only once', async () => {
    const call = await walkCall(document, ['5', '6'], noCheck);
    expect(call.forms).toEqual(['main', 'menu', 'not_understood', 'menu', 'not_understood', 'goodbye']);
  });
});
