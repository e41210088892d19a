// The whole interface in Chinese: every English string has a Chinese one, with the same {placeholders}.
import { describe, expect, it } from 'vitest';
import { en } from '../../../designer/src/i18n/en.ts';
import { translate } from '../../../designer/src/i18n/index.ts';
import { zh } from '../../../designer/src/i18n/zh.ts';

const keys = Object.keys(en) as (keyof typeof en)[];
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('zh strings', () => {
  it('has exactly the keys of en', () => {
    expect(Object.keys(zh).sort()).toEqual([...keys].sort());
  });

  it.each(keys)('%s is translated (Chinese text, same placeholders)', (key) => {
    expect(zh[key].trim()).not.toBe('');
    expect(zh[key]).not.toBe(en[key]);
    expect(zh[key]).toMatch(/[\u3400-\u9fff]/);
    expect(placeholders(zh[key])).toEqual(placeholders(en[key]));
  });

  it('fills placeholders in Chinese', () => {
    expect(translate('zh', 'panel.many', { n: 3 })).toContain('3');
    expect(translate('zh', 'panel.many', { n: 3 })).not.toContain('{n}');
  });
});
