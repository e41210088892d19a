// Designer speed on generated flows of 100/500/1000/2000 forms in headless Chromium, beside a plain React Flow
// baseline of the same graph: import to first frame, frame times while panning, zooming and dragging a node,
// and the longest task (the page must never freeze > 100 ms). Medians of several runs. Prints; asserts nothing.
// Options: --sizes 100,2000  --runs 3  --no-baseline
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { parse } from '../schema/parse.ts';
import { serialize } from '../schema/serialize.ts';
import { edgesOf, fromDocument } from '../designer/src/graph/mapping.ts';
import { layoutGraph } from '../designer/src/graph/layout.ts';
import { ARTIFACTS, launch } from '../test/designer/browser/browser.ts';
import { ensureBuilt, startDesignerHost } from '../test/designer/browser/server.ts';
import { generateFlow } from '../test/designer/big-flows.ts';
import {
  closeUp,
  dragNode,
  median,
  pan,
  percentile,
  PROBE,
  searchTo,
  zoom,
  type Gesture,
} from './designer/probe.ts';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
const SIZES = option('sizes', '100,500,1000,2000').split(',').map(Number);
const RUNS = Number(option('runs', '3'));
const BASELINE = !process.argv.includes('--no-baseline');
const BIG_FLOW = 200;

/** One run's figures; gestures as [p50, p95, longest task]. */
interface Figures {
  importMs: number;
  importLongest: number;
  inDom: number;
  [gesture: string]: number;
}

const ms = (t0: number) => Math.round(performance.now() - t0);

function gestureFigures(name: string, g: Gesture): Record<string, number> {
  return {
    [`${name} p50`]: percentile(g.frames, 50),
    [`${name} p95`]: percentile(g.frames, 95),
    [`${name} longest`]: g.longest,
  };
}

async function gestures(page: Page, app: boolean): Promise<Record<string, number>> {
  const out = { ...gestureFigures('pan (fit)', await pan(page)) };
  Object.assign(out, gestureFigures('zoom', await zoom(page)));
  const node = app ? await searchTo(page, 'f21') : await closeUp(page);
  Object.assign(out, gestureFigures('pan (close)', await pan(page)));
  Object.assign(out, gestureFigures('drag node', await dragNode(page, node)));
  return out;
}

async function settle(page: Page): Promise<number> {
  // Two frames after the first paint, then the longest task since the import began.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return page.evaluate<number>('window.__maxLongTask(window.__t0, performance.now())');
}

async function designerRun(browser: Browser, url: string, file: string, shots?: string): Promise<Figures> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await page.goto(url);
  await page.getByTestId('canvas').waitFor();
  await page.evaluate(`document.addEventListener('change', (e) => {
    if (e.target?.dataset?.testid === 'import-input') window.__t0 = performance.now();
  }, true)`);
  // The first frame that shows the flow: its nodes, or the bird's-eye canvas of a big one.
  const first = page.evaluate<number>(`window.__firstFrame('.react-flow__node:nth-child(2), .birds-eye')`);
  await page.getByTestId('import-input').setInputFiles(file);
  const importMs = Math.round(await first);
  const importLongest = await settle(page);
  const inDom = await page.locator('.react-flow__node').count();
  if (shots) await page.screenshot({ path: join(ARTIFACTS, `${shots}-far.png`) });
  const layoutLongest = await autoLayout(page);
  const figures = { importMs, importLongest, layoutLongest, inDom, ...(await gestures(page, true)) };
  if (shots) await page.screenshot({ path: join(ARTIFACTS, `${shots}-close.png`) });
  await context.close();
  return figures;
}

/** Runs auto-layout and returns the longest task while it ran (the progress bar shows until it is done). */
async function autoLayout(page: Page): Promise<number> {
  const from = await page.evaluate<number>('performance.now()');
  await page.getByTestId('btn-layout').click();
  await page.getByTestId('progress').waitFor({ state: 'detached' });
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  return page.evaluate<number>(`window.__maxLongTask(${from}, performance.now())`);
}

async function baselineData(xml: string): Promise<string> {
  const graph = fromDocument(parse(xml));
  const positions = await layoutGraph(graph);
  return JSON.stringify({
    nodes: graph.nodes.map((n) => ({ id: n.key, position: positions[n.key], data: { label: n.form.id } })),
    edges: edgesOf(graph).map((e) => ({ id: e.id, source: e.source, target: e.target })),
    visibleOnly: graph.nodes.length > BIG_FLOW,
  });
}

async function baselineRun(browser: Browser, url: string, data: string): Promise<Figures> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.addInitScript(PROBE);
  await page.goto(url);
  const first = page.evaluate<number>(
    `(window.__t0 = performance.now(), window.__load(${data}), window.__firstFrame('.react-flow__node:nth-child(2)'))`,
  );
  const importMs = Math.round(await first);
  const importLongest = await settle(page);
  const inDom = await page.locator('.react-flow__node').count();
  const figures = { importMs, importLongest, inDom, ...(await gestures(page, false)) };
  await context.close();
  return figures;
}

/** Builds bench/designer/baseline with Vite into a temporary folder and serves it on 127.0.0.1. */
async function startBaseline(dir: string): Promise<{ url: string; server: Server }> {
  const out = join(dir, 'baseline');
  await build({
    root: join(import.meta.dirname, 'designer', 'baseline'),
    configFile: false,
    logLevel: 'error',
    base: './',
    oxc: { jsx: { runtime: 'automatic' } },
    build: { outDir: out, emptyOutDir: true, chunkSizeWarningLimit: 3000 },
  });
  const types: Record<string, string> = {
    '.html': 'text/html',
    '.js': 'text/javascript',
    '.css': 'text/css',
  };
  const server = createServer((req, res) => {
    const path = req.url === '/' ? '/index.html' : (req.url ?? '/').split('?')[0];
    try {
      const body = readFileSync(join(out, path.replace(/\.\.+/g, '')));
      res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, server };
}

function medians(runs: Figures[]): Record<string, number> {
  const keys = Object.keys(runs[0] ?? {});
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k]))]));
}

function report(n: number, node: string, app: Record<string, number>, base?: Record<string, number>): void {
  console.log(`\n${n} forms (${node}); medians of ${RUNS} run(s), ms`);
  console.log(
    `  ${'measure'.padEnd(22)}${'designer'.padStart(10)}${base ? 'baseline'.padStart(10) + 'ratio'.padStart(8) : ''}`,
  );
  for (const k of Object.keys(app)) {
    const a = app[k];
    const b = base?.[k];
    const ratio = b ? (a / b).toFixed(2) : '';
    const cells = base ? `${(b === undefined ? '—' : b.toFixed(1)).padStart(10)}${ratio.padStart(8)}` : '';
    console.log(`  ${k.padEnd(22)}${a.toFixed(1).padStart(10)}${cells}`);
  }
}

async function main(): Promise<void> {
  await ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'ivr-bench-designer-'));
  const host = await startDesignerHost();
  const baseline = BASELINE ? await startBaseline(dir) : undefined;
  const browser = await launch();
  console.log(
    'Figures from a shared 2-core machine: noisy; compare the designer with the baseline of the same run.',
  );
  try {
    for (const n of SIZES) {
      const xml = serialize(generateFlow(n));
      const file = join(dir, `flow-${n}.xml`);
      writeFileSync(file, xml);
      let t = performance.now();
      const graph = fromDocument(parse(xml));
      const parseMap = ms(t);
      t = performance.now();
      await layoutGraph(graph);
      const node = `Node: parse+map ${parseMap} ms, layout ${ms(t)} ms`;
      const data = baseline ? await baselineData(xml) : '';
      const app: Figures[] = [];
      const base: Figures[] = [];
      for (let r = 0; r < RUNS; r++) {
        // Screenshots of the first run of each size for the README (.artifacts/designer/, not committed).
        app.push(await designerRun(browser, host.url, file, r === 0 ? `big-flow-${n}` : undefined));
        if (baseline) base.push(await baselineRun(browser, baseline.url, data));
      }
      report(n, node, medians(app), baseline ? medians(base) : undefined);
    }
  } finally {
    await browser.close();
    await host.close();
    baseline?.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
