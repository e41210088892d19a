// The step editor in Chromium: every element of the dialect, extensions included, made and edited in the
// property panel, with the validator's messages beside the step; the export is the XML that was drawn.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, launch, openDesigner, shot, WAIT } from './browser.ts';
import { ensureBuilt, startDesignerHost, type DesignerHost } from './server.ts';

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

async function add(page: Page, container: string, type: string): Promise<void> {
  await page.getByTestId(`add-item-${container}`).selectOption(type);
}

async function set(page: Page, testid: string, value: string): Promise<void> {
  await page.getByTestId(testid).fill(value);
  await page.getByTestId(testid).press('Enter');
}

const EXPECTED = `<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:field name="pin" value="0" inputexpires="7000" length="4" check="https://crm.example.com/check">
      <tns:prompt repeat="2" bargein="true">
        <tns:tts voice="zh">请输入密码</tns:tts>
      </tns:prompt>
    </tns:field>
    <tns:assign name="tries" expr="input_checked"/>
    <tns:if cond="input_checked == 'OK'">
      <tns:transfer dest="802" timeout="20"/>
      <tns:elseif cond="tries == '2'">
        <tns:hangup/>
      </tns:elseif>
      <tns:else>
        <tns:record name="msg" maxtime="120" public="true"/>
        <tns:goto next="hungup"/>
      </tns:else>
    </tns:if>
  </tns:form>
</tns:vxml>
`;

describe('designer step editor', () => {
  it('makes and edits every element, shows problems at their step, and exports what was drawn', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    await page.locator('[data-testid="flow-node"][data-form-id="main"]').click();
    await page.getByTestId('all-steps').locator('summary').click();

    // A field with its prompt and every attribute.
    await add(page, 'top', 'field');
    await set(page, 'item-0-name', 'pin');
    await set(page, 'item-0-value', '0');
    await set(page, 'item-0-length', '4');
    await set(page, 'item-0-inputexpires', '7000');
    await set(page, 'item-0-check', 'not a url');
    await expect
      .poll(() => page.getByTestId('item-0-check-problems').textContent(), WAIT)
      .toContain('not a url');
    await set(page, 'item-0-check', 'https://crm.example.com/check');
    await page.getByTestId('item-0-check-problems').waitFor({ state: 'detached' });
    await add(page, '0.prompts', 'prompt');
    await set(page, 'item-0.prompts.0-repeat', '2');
    await page.getByTestId('item-0.prompts.0-bargein').check();
    await set(page, 'item-0.prompts.0-sources-tts-0', '请输入密码');
    await set(page, 'item-0.prompts.0-sources-voice-0', 'zh');

    // An assign whose expression is first wrong, then right.
    await add(page, 'top', 'assign');
    await set(page, 'item-1-name', 'tries');
    await set(page, 'item-1-expr', '1 +');
    await expect.poll(() => page.getByTestId('item-1-expr-problems').textContent(), WAIT).toContain('1 +');
    await set(page, 'item-1-expr', 'input_checked');
    await page.getByTestId('item-1-expr-problems').waitFor({ state: 'detached' });

    // An if with its then, an elseif and an else, holding the extensions.
    await add(page, 'top', 'if');
    await set(page, 'item-2-cond', "input_checked == 'OK'");
    await add(page, '2.then', 'transfer');
    await set(page, 'item-2.then.0-dest', 'bad dest!');
    await expect
      .poll(() => page.getByTestId('item-2.then.0-dest-problems').textContent(), WAIT)
      .toContain('bad dest!');
    await set(page, 'item-2.then.0-dest', '802');
    await set(page, 'item-2.then.0-timeout', '20');
    await page.getByTestId('item-2-add-elseif').click();
    await set(page, 'item-2-elseif-0-cond', "tries == '2'");
    await add(page, '2.elseifs.0.items', 'hangup');
    await page.getByTestId('item-2-add-else').click();
    await add(page, '2.else', 'goto');
    await add(page, '2.else', 'record');
    await set(page, 'item-2.else.1-name', 'msg');
    await set(page, 'item-2.else.1-maxtime', '120');
    await page.getByTestId('item-2.else.1-public').check();
    // The record was added after the goto: the validator says it never runs, then it moves up.
    await expect
      .poll(() => page.getByTestId('item-2.else.1-problems').textContent(), WAIT)
      .toContain('never runs');
    await page.getByTestId('item-up-2.else.1').click();
    await page.getByTestId('item-2.else.1-problems').waitFor({ state: 'detached' });
    expect(await page.getByTestId('item-2.else.1').getAttribute('data-type')).toBe('goto');
    await shot(page, 'step-editor');

    // A comment step, added and removed again.
    await add(page, 'top', 'comment');
    await expect.poll(() => page.getByTestId('item-3').getAttribute('data-type'), WAIT).toBe('comment');
    await page.getByTestId('item-remove-3').click();
    await page.getByTestId('item-3').waitFor({ state: 'detached' });

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('btn-export').click(),
    ]);
    const saved = join(ARTIFACTS, 'step-editor.export.xml');
    await download.saveAs(saved);
    expect(readFileSync(saved, 'utf8')).toBe(EXPECTED);
    expect(errors).toEqual([]);
  });

  it('turns a form into a menu and edits its keys as choices', async () => {
    const { page, errors } = await openDesigner(browser, server.url);
    await page.locator('[data-testid="flow-node"][data-form-id="main"]').click();
    await page.getByTestId('all-steps').locator('summary').click();
    await page.getByTestId('step-element').selectOption('menu');
    await add(page, 'top', 'choice');
    await set(page, 'item-0-dtmf', 'x');
    await expect.poll(() => page.getByTestId('item-0-dtmf-problems').textContent(), WAIT).toContain("'x'");
    await set(page, 'item-0-dtmf', '1');
    await page.getByTestId('item-0-next').selectOption('hungup');
    await expect
      .poll(
        () => page.locator('[data-testid="flow-node"][data-form-id="main"]').getAttribute('data-kind'),
        WAIT,
      )
      .toBe('menu');
    await page.getByTestId('item-0-dtmf-problems').waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="problem-row"][data-code="E_GOTO_TARGET"]').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
