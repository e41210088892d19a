// Development aid (not part of `npm run bench`): CPU profile of the designer importing and panning a big flow,
// printed as the functions with the most self time. Usage: tsx bench/designer/profile.ts [forms]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { serialize } from '../../schema/serialize.ts';
import { launch } from '../../test/designer/browser/browser.ts';
import { ensureBuilt, startDesignerHost } from '../../test/designer/browser/server.ts';
import { generateFlow } from '../../test/designer/big-flows.ts';
import { dragNode, pan, PROBE, searchTo, zoom } from './probe.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

async function profiled(cdp: CDPSession, label: string, act: () => Promise<unknown>): Promise<void> {
  await cdp.send('Profiler.start');
  await act();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
  };
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}:${f.columnNumber}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  console.log(`\n== ${label}: ${Math.round(total)} ms sampled`);
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25))
    console.log(`${v.toFixed(0).padStart(7)}  ${k}`);
}

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 2000);
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ivr-profile-'));
  const file = join(dir, 'flow.xml');
  writeFileSync(file, serialize(generateFlow(n)));
  const host = await startDesignerHost();
  const browser = await launch();
  try {
    const page: Page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await page.addInitScript(PROBE);
    await page.goto(host.url);
    await page.getByTestId('canvas').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
    await profiled(cdp, 'import', async () => {
      await page.getByTestId('import-input').setInputFiles(file);
      await page.locator('.birds-eye').waitFor({ state: 'attached', timeout: 120_000 });
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    });
    console.log(
      await page.evaluate<string>(
        "JSON.stringify(performance.getEntriesByType('measure').map((m) => [m.name, Math.round(m.duration)]))",
      ),
      await page.evaluate<string>('JSON.stringify(window.__longTasks.map((t) => Math.round(t.duration)))'),
    );
    await profiled(cdp, 'pan (fit)', () => pan(page));
    await profiled(cdp, 'zoom', () => zoom(page));
    const node = await searchTo(page, 'f21');
    await profiled(cdp, 'pan (close)', () => pan(page));
    await profiled(cdp, 'drag node', () => dragNode(page, node));
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
