// Interpreter overhead: µs per step for goto/assign loops and for a field-heavy flow on the virtual clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Document } from '../schema/ast.ts';
import { parse } from '../schema/parse.ts';
import { runSession } from '../runtime/interpreter/session.ts';
import type { TraceEvent } from '../runtime/interpreter/trace.ts';
import { ScriptedCaller } from '../runtime/media/sim/scripted-caller.ts';
import { SimLeg } from '../runtime/media/sim/sim-leg.ts';
import { VirtualClock } from '../runtime/media/sim/virtual-clock.ts';
import { writeSilentWav } from '../runtime/media/sim/wav.ts';

const vxml = (body: string): Document =>
  parse(
    `<?xml version="1.0" encoding="UTF-8"?><tns:vxml xmlns:tns="http://www.example.org/voicemail">${body}</tns:vxml>`,
  );

const LOOP = vxml(`
  <tns:form id="main"><tns:assign name="n" expr="'a'"/><tns:goto next="#b"/></tns:form>
  <tns:form id="b"><tns:if cond="n == 'a' &amp;&amp; caller != ''"><tns:assign name="m" expr="n"/></tns:if><tns:goto next="#main"/></tns:form>`);

const FIELDS = vxml(`
  <tns:form id="main">
    <tns:field name="code" length="4" inputexpires="3000">
      <tns:prompt repeat="2" bargein="true"><tns:audio src="[FILE_PATH]/p.wav"/><tns:tts>第${'${n}'}次</tns:tts></tns:prompt>
    </tns:field>
    <tns:assign name="n" expr="code"/>
    <tns:if cond="code == '1234'"><tns:goto next="#main"/><tns:else><tns:goto next="#main"/></tns:else></tns:if>
  </tns:form>`);

interface Measure {
  steps: number;
  ms: number;
  events: number;
  timers: number;
  virtualMs: number;
}

async function once(
  document: Document,
  soundRoot: string,
  keys: string,
  maxSteps: number,
  trace: boolean,
): Promise<Measure> {
  const clock = new VirtualClock();
  const leg = new SimLeg({ clock });
  const caller = new ScriptedCaller(leg, clock, keys);
  let events = 0;
  const onTrace = (ev: TraceEvent): void => {
    events++;
    caller.onTrace(ev);
  };
  const start = performance.now();
  const result = await clock.run(
    runSession({
      document,
      leg,
      clock,
      soundRoot,
      maxSteps,
      maxNoInputTurns: 1e9,
      onTrace: trace ? onTrace : caller.onTrace.bind(caller),
    }),
  );
  const ms = performance.now() - start;
  caller.stop();
  if (result.endReason !== 'step-budget') throw new Error(`unexpected end ${result.endReason}`);
  return { steps: result.steps, ms, events, timers: clock.firedTimers(), virtualMs: clock.now() };
}

async function bench(
  name: string,
  document: Document,
  soundRoot: string,
  keys: string,
  maxSteps: number,
): Promise<void> {
  await once(document, soundRoot, keys, maxSteps, true); // warm-up
  const runs: Measure[] = [];
  for (let i = 0; i < 5; i++) runs.push(await once(document, soundRoot, keys, maxSteps, true));
  runs.sort((a, b) => a.ms - b.ms);
  const median = runs[2];
  const usPerStep = (median.ms * 1000) / median.steps;
  const timers =
    median.timers === 0
      ? ''
      : `  ${median.timers} virtual timers (${((median.ms * 1000) / median.timers).toFixed(1)} µs/timer), ` +
        `${(median.virtualMs / 3_600_000).toFixed(1)} h of call time`;
  console.log(
    `${name.padEnd(34)} ${String(median.steps).padStart(6)} steps  ${median.ms.toFixed(1).padStart(8)} ms  ` +
      `${usPerStep.toFixed(2).padStart(7)} µs/step  ${median.events} trace events${timers}`,
  );
}

const soundRoot = mkdtempSync(join(tmpdir(), 'ivr-bench-'));
try {
  writeSilentWav(join(soundRoot, 'p.wav'), 1500);
  console.log(`interpreter bench (node ${process.version}); median of 5 runs after a warm-up`);
  await bench('goto/assign/if loop', LOOP, soundRoot, '', 10_000);
  // Each field: key turns alternate a full 4-digit entry, a #-terminated entry and a silent turn.
  const turns = Array.from({ length: 2000 }, (_, i) => ['1234', '56#', '_'][i % 3]).join(',');
  await bench('field-heavy flow (virtual clock)', FIELDS, soundRoot, turns, 10_000);
} finally {
  rmSync(soundRoot, { recursive: true, force: true });
}
