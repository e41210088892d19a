// `npm run bench`: runs every benchmark in turn and prints its figures (benchmarks measure; they never fail a build).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

/** Each benchmark is a script of its own, so one crashing does not hide the others' figures. */
const BENCHMARKS = [
  'interpreter.ts',
  'rtp.ts',
  'conference.ts',
  'calls.ts',
  'callctrl.ts',
  'campaign.ts',
  'designer.ts',
  'freeswitch.ts',
  'soak.ts',
];

let failed = 0;
for (const file of BENCHMARKS) {
  const name = file.replace(/\.ts$/, '');
  if (only.length > 0 && !only.includes(name)) continue;
  const path = join(here, file);
  if (!existsSync(path)) continue;
  process.stdout.write(`\n=== bench/${file} ===\n`);
  const tsx = join(here, '..', 'node_modules', 'tsx', 'dist', 'cli.mjs');
  const r = spawnSync(process.execPath, [tsx, path], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    process.stdout.write(`bench/${file} exited with ${r.status ?? r.signal}\n`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
