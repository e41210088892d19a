// The manual's food-ordering example (control-api.md D.8) as a typed document, for tests that need no parser.
import type { Document, Item } from '../../../schema/ast.ts';

const play = (file: string, repeat: number, bargein: boolean): Item => ({
  type: 'prompt',
  repeat,
  bargein,
  sources: [{ type: 'audio', src: `[FILE_PATH]/delicious/${file}` }],
});
const go = (next: string): Item => ({ type: 'goto', next });

export const manual: Document = {
  type: 'document',
  schemaLocation: 'http://www.example.org/voicemail voicemail.xsd',
  forms: [
    { type: 'form', kind: 'form', id: 'main', comments: ['main is the entry'], items: [go('#input_telnum')] },
    {
      type: 'form',
      kind: 'form',
      id: 'input_telnum',
      items: [
        {
          type: 'field',
          name: 'input',
          inputexpires: 7000,
          length: 20,
          check: 'http://127.0.0.1:8080/0ms/StateHttpTestServlet?a=member',
          prompts: [play('menu.wav', 3, true) as never],
        },
        {
          type: 'if',
          cond: "input_checked == 'LOGIN_SUCCESS'",
          then: [go('#order')],
          elseifs: [
            {
              cond: "input_checked == 'LOGIN_ERROR'",
              items: [play('login_error.wav', 1, true), go('#input_telnum')],
            },
          ],
        },
      ],
    },
    {
      type: 'form',
      kind: 'form',
      id: '0101',
      items: [
        {
          type: 'field',
          length: 0,
          name: 'deafult',
          value: 'deafult',
          prompts: [play('goods_ok_prefix.wav', 0, false) as never],
        },
        go('#0102'),
      ],
    },
    {
      type: 'form',
      kind: 'form',
      id: 'input_goods_confirm',
      items: [
        { type: 'field', length: 1, name: 'input', prompts: [play('goods_ok_suffix.wav', 3, true) as never] },
        {
          type: 'if',
          cond: "input == '1'",
          then: [go('#finish_order')],
          elseifs: [{ cond: "input == '2'", items: [go('#0101')] }],
          else: [go('#input_goods_confirm')],
        },
      ],
    },
    {
      type: 'form',
      kind: 'menu',
      id: 'finish_order',
      items: [
        {
          type: 'field',
          name: 'default',
          length: 0,
          prompts: [play('order_confirm.wav', 1, false) as never],
        },
        { type: 'choice', dtmf: 'other', next: 'hungup' },
      ],
    },
  ],
  trailingComments: ['end'],
};
