// The designer in Chinese: the interface in zh, and Chinese prompts drawn with real glyphs (a CJK font is
// installed with the browser by scripts/setup.mjs), not the boxes Chromium draws for characters it lacks.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launch, openDesigner, shot, WAIT } from './browser.ts';
import { ensureBuilt, startDesignerHost, type DesignerHost } from './server.ts';

const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <!-- 欢迎词 -->
  <tns:menu id="main">
    <tns:prompt bargein="true">
      <tns:tts>欢迎致电美味餐厅，订餐请按一</tns:tts>
    </tns:prompt>
    <tns:choice dtmf="1" next="#order"/>
    <tns:choice dtmf="other" next="hungup"/>
  </tns:menu>
  <tns:form id="order">
    <tns:prompt>
      <tns:tts>谢谢，再见</tns:tts>
    </tns:prompt>
    <tns:hangup/>
  </tns:form>
</tns:vxml>
`;

let server: DesignerHost;
let browser: Browser;

beforeAll(async () => {
  await ensureBuilt();
  server = await startDesignerHost();
  browser = await launch();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * Draws each character in the font the element is drawn with and returns one fingerprint per character, the
 * last one for a code point no font has (U+10FFFD): a missing glyph is drawn as that same box for every
 * character, so real glyphs are the fingerprints that differ from it and from each other.
 */
function glyphPrints(page: Page, selector: string, chars: string[]): Promise<string[]> {
  return page.evaluate<string[]>(`(() => {
    const el = document.querySelector(${JSON.stringify(selector)});
    const style = getComputedStyle(el);
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 64;
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    return [...${JSON.stringify(chars)}, '\\u{10FFFD}'].map((c) => {
      ctx.clearRect(0, 0, 64, 64);
      ctx.font = style.fontWeight + ' 40px ' + style.fontFamily;
      ctx.fillText(c, 8, 48);
      const data = ctx.getImageData(0, 0, 64, 64).data;
      let ink = 0;
      let print = '';
      for (let i = 3; i < data.length; i += 4) {
        if (data[i] > 128) ink++;
        print += data[i] > 128 ? '1' : '0';
      }
      return ink + ':' + print;
    });
  })()`);
}

function expectRealGlyphs(prints: string[]): void {
  const missing = prints[prints.length - 1];
  const glyphs = prints.slice(0, -1);
  for (const g of glyphs) {
    expect(Number(g.split(':')[0])).toBeGreaterThan(20);
    expect(g).not.toBe(missing);
  }
  expect(new Set(glyphs).size).toBe(glyphs.length);
}

describe('designer in Chinese', () => {
  it('shows the interface in zh and draws Chinese prompts with real glyphs', async () => {
    const { page, errors } = await openDesigner(browser, server.url, 'zh-CN');
    expect(await page.getByTestId('palette-play').textContent()).toContain('放音');
    const file = join(server.dir, 'zh.xml');
    writeFileSync(file, FLOW);
    await page.getByTestId('import-input').setInputFiles(file);
    const summary = '[data-testid="flow-node"][data-form-id="main"] .node-summary';
    await expect.poll(() => page.locator(summary).textContent(), WAIT).toContain('欢迎致电');
    expectRealGlyphs(await glyphPrints(page, summary, ['欢', '迎', '致', '电']));
    // The interface's own text (the palette) too.
    expectRealGlyphs(await glyphPrints(page, '[data-testid="palette-play"]', ['放', '音']));
    await page.locator('[data-testid="flow-node"][data-form-id="main"]').click();
    await expect.poll(() => page.getByTestId('prop-note').inputValue(), WAIT).toBe('欢迎词');
    await shot(page, 'designer-zh');
    expect(errors).toEqual([]);
  });
});
