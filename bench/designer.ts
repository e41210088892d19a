// Designer speed on generated flows of 100/500/1000 forms: parse + map + layout in Node, then import, first
// render and panning frame times in headless Chromium (rAF sampling). Prints figures; asserts nothing.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document, Form, Item } from '../schema/ast.ts';
import { parse } from '../schema/parse.ts';
import { serialize } from '../schema/serialize.ts';
import { fromDocument } from '../designer/src/graph/mapping.ts';
import { layoutGraph } from '../designer/src/graph/layout.ts';
import { launch } from '../test/designer/browser/browser.ts';
import { ensureBuilt, startDesignerHost } from '../test/designer/browser/server.ts';

const SIZES = [100, 500, 1000];

const say = (text: string): Item => ({ type: 'prompt', bargein: true, sources: [{ type: 'tts', text }] });

/** Form i: a collect node (or a menu, every fifth form) branching to forms 2i+1 and 2i+2 and back: a tree of ~log2(n) layers. */
function form(i: number, n: number): Form {
  const id = i === 0 ? 'main' : `f${i}`;
  const to = (j: number) => (j >= n ? 'hungup' : `#f${j}`);
  if (i % 5 === 4) {
    return {
      type: 'form',
      kind: 'menu',
      id,
      items: [
        { type: 'field', name: 'default', length: 0, prompts: [say(`menu ${i}`) as never] },
        { type: 'choice', dtmf: '1', next: to(2 * i + 1) },
        { type: 'choice', dtmf: '2', next: to(2 * i + 2) },
        { type: 'choice', dtmf: 'other', next: 'hungup' },
      ],
    };
  }
  return {
    type: 'form',
    kind: 'form',
    id,
    items: [
      { type: 'field', name: 'input', length: 1, inputexpires: 5000, prompts: [say(`form ${i}`) as never] },
      {
        type: 'if',
        cond: "input == '1'",
        then: [{ type: 'goto', next: to(2 * i + 1) }],
        elseifs: [{ cond: "input == '2'", items: [say('again'), { type: 'goto', next: to(2 * i + 2) }] }],
        else: [{ type: 'goto', next: `#${id}` }],
      },
    ],
  };
}

function generate(n: number): Document {
  return { type: 'document', forms: Array.from({ length: n }, (_, i) => form(i, n)) };
}

/** Records the time between animation frames for 2.5 s. */
const SAMPLE_FRAMES = `new Promise((resolve) => {
  const deltas = [];
  let last = performance.now();
  const end = last + 2500;
  const tick = (now) => {
    deltas.push(now - last);
    last = now;
    if (now < end) requestAnimationFrame(tick);
    else resolve(deltas);
  };
  requestAnimationFrame(tick);
})`;

function ms(t0: number): number {
  return Math.round(performance.now() - t0);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

async function nodeSide(xml: string): Promise<{ parse: number; map: number; layout: number }> {
  let t = performance.now();
  const doc = parse(xml);
  const parseMs = ms(t);
  t = performance.now();
  const graph = fromDocument(doc);
  const mapMs = ms(t);
  t = performance.now();
  await layoutGraph(graph);
  return { parse: parseMs, map: mapMs, layout: ms(t) };
}

async function main(): Promise<void> {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ivr-bench-designer-'));
  const host = await startDesignerHost();
  const browser = await launch();
  try {
    for (const n of SIZES) {
      const xml = serialize(generate(n));
      const file = join(dir, `flow-${n}.xml`);
      writeFileSync(file, xml);
      const node = await nodeSide(xml);
      const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
      await page.goto(host.url);
      await page.getByTestId('canvas').waitFor();
      let t = performance.now();
      await page.getByTestId('import-input').setInputFiles(file);
      // The page starts with an empty `main`: wait for the import's layout, then for its nodes on screen.
      await page.waitForFunction("performance.getEntriesByName('ivr:layout').length > 0", undefined, {
        timeout: 300_000,
      });
      await page.waitForFunction("document.querySelectorAll('.react-flow__node').length > 1", undefined, {
        timeout: 60_000,
      });
      const firstRender = ms(t);
      const rendered = await page.locator('.react-flow__node').count();
      const layoutInPage = await page.evaluate<number>(
        "Math.round(performance.getEntriesByName('ivr:layout').pop()?.duration ?? NaN)",
      );
      const pane = (await page.locator('.react-flow__pane').boundingBox())!;
      // A string, not a function: tsx would add helpers (__name) that do not exist in the page.
      const sampling = page.evaluate<number[]>(SAMPLE_FRAMES);
      const [cx, cy] = [pane.x + pane.width / 2, pane.y + pane.height / 2];
      await page.mouse.move(cx, cy);
      await page.mouse.down();
      t = performance.now();
      for (let i = 0; i < 4; i++) {
        await page.mouse.move(cx - 300, cy - 150, { steps: 30 });
        await page.mouse.move(cx, cy, { steps: 30 });
      }
      const panMs = ms(t);
      await page.mouse.up();
      const frames = (await sampling).slice(1);
      console.log(
        `${n} forms: parse ${node.parse} ms, map ${node.map} ms, layout ${node.layout} ms (node); ` +
          `browser import+layout+first render ${firstRender} ms (layout in the worker ${layoutInPage} ms, ` +
          `${rendered} nodes in the DOM); ` +
          `panning ${frames.length} frames, median ${percentile(frames, 50).toFixed(1)} ms, ` +
          `p95 ${percentile(frames, 95).toFixed(1)} ms, max ${Math.max(...frames).toFixed(1)} ms (drag ${panMs} ms)`,
      );
      await page.context().close();
    }
  } finally {
    await browser.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
