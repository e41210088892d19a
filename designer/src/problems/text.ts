// How a problem reads in the UI language: the schema's English message, with a translated headline in Chinese.
import type { Problem } from '../../../schema/ast.ts';
import type { Translate } from '../i18n/index.ts';
import { useLang } from '../i18n/index.ts';

const ZH: Record<string, string> = {
  E_XML_SYNTAX: 'XML 格式错误',
  E_NO_MAIN: '缺少入口 main',
  E_DUP_ID: 'id 重复',
  E_FORM_ID: 'id 无效',
  E_GOTO_TARGET: '跳转目标不存在',
  W_UNREACHABLE: '从 main 无法到达',
  E_COND_SYNTAX: '条件表达式错误',
  E_EXPR_SYNTAX: '表达式错误',
  E_FIELD_LENGTH: '位数超出 0..64',
  E_FIELD_TIMEOUT: '超时超出 100..600000 毫秒',
  E_PROMPT_REPEAT: '重复次数超出 0..100',
  E_CHECK_URL: '校验 URL 必须是 http(s) 地址',
  E_AUDIO_MISSING: '录音文件不存在',
  E_DUP_CHOICE: '按键重复',
  E_CHOICE_DTMF: '按键必须是 0-9、*、# 或 other',
  W_MENU_NO_CHOICE: '菜单没有按键',
  E_EMPTY_PROMPT: '提示音为空',
  E_VAR_NAME: '变量名无效',
  W_DEAD_CODE: '跳转之后的步骤不会执行',
  E_TTS_VAR: '文本中的 ${ 变量格式错误',
  E_TRANSFER_DEST: '转接目标无效',
  E_TRANSFER_TIMEOUT: '振铃超时超出 1..600 秒',
  E_RECORD_MAXTIME: '录音时长超出 1..3600 秒',
  E_MORE_PROBLEMS: '还有更多问题未列出',
  W_MORE_PROBLEMS: '还有更多警告未列出',
};

export function problemText(_t: Translate, p: Problem): string {
  const zh = useLang.getState().lang === 'zh' ? ZH[p.code] : undefined;
  return zh ? `${zh}（${p.message}）` : p.message;
}

export function problemWhere(p: Problem): string {
  return p.line === undefined ? '' : `${p.line}:${p.column ?? 1}`;
}
