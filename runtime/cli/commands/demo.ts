// `ivr demo` (npm start): the runtime with the example flows published and routed, their backend, two agents in
// group 3000 and their supervisor.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../config/schema.ts';
import type { Store } from '../../callcenter/store/db.ts';
import { startRuntime } from '../../server.ts';
import { startExamplesBackend } from '../../../examples/backend.ts';
import { configFromArgs, stopOnSignal } from './serve.ts';

/** Called numbers of the examples; any other example gets the next free number from 1005. */
const DEMO_NUMBERS: Record<string, string> = {
  'food-ordering': '1000',
  'after-hours': '1001',
  'balance-query': '1002',
  captcha: '1003',
  'satisfaction-survey': '1004',
};

/** The demo's agents (group 3000, the service desk) and their supervisor. */
const DEMO_AGENTS = [
  { number: '801', name: 'Agent 801', group: '3000', permissions: [] },
  { number: '802', name: 'Agent 802', group: '3000', permissions: [] },
  { number: '803', name: 'Supervisor 803', permissions: ['monitor'] },
] as const;

/** Demo extension passwords: made once per data folder, so a softphone is configured only once. */
function demoExtensions(dbFile: string): Config['extensions'] {
  const file = join(dirname(resolve(dbFile)), 'demo-extensions.json');
  const saved: Record<string, string> = {};
  if (existsSync(file))
    for (const e of JSON.parse(readFileSync(file, 'utf8')) as { number: string; password: string }[])
      saved[e.number] = e.password;
  const extensions = DEMO_AGENTS.map((a) => ({
    ...a,
    permissions: [...a.permissions],
    password: saved[a.number] ?? randomBytes(6).toString('base64url'),
  }));
  mkdirSync(dirname(file), { recursive: true });
  const passwords = extensions.map(({ number, password }) => ({ number, password }));
  writeFileSync(file, `${JSON.stringify(passwords, null, 2)}\n`, { mode: 0o600 });
  return extensions;
}

/** Creates and publishes each example flow not in the store yet, and routes a number to it if free. */
export async function seedExamples(
  store: Store,
  examplesDir: string,
  backendPort: number,
): Promise<{ number: string; flowId: string }[]> {
  const ids = readdirSync(examplesDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(examplesDir, e.name, 'flow.xml')))
    .map((e) => e.name)
    .sort();
  const routed = new Set((await store.routes.list()).map((r) => r.flowId));
  let next = 1005;
  for (const id of ids) {
    if (!(await store.flows.exists(id))) {
      // The examples name the backend at 127.0.0.1:8080; a demo whose backend listens elsewhere points them there.
      const xml = readFileSync(join(examplesDir, id, 'flow.xml'), 'utf8').replaceAll(
        'http://127.0.0.1:8080/',
        `http://127.0.0.1:${backendPort}/`,
      );
      const name = id.replace(/-/g, ' ').replace(/^./, (c) => c.toUpperCase());
      await store.flows.create({ id, name, xml, now: Date.now() });
      await store.flows.addVersion(id, { xml, author: 'ivr demo', note: 'example', now: Date.now() });
    }
    if (routed.has(id)) continue;
    let number = DEMO_NUMBERS[id];
    while (number === undefined || (await store.routes.flowFor(number)) !== undefined)
      number = String(next++);
    await store.routes.upsert({ number, flowId: id });
  }
  return (await store.routes.list()).filter((r) => ids.includes(r.flowId));
}

function banner(
  config: Config,
  http: number,
  sip: number | null,
  routes: { number: string; flowId: string }[],
): string {
  const host = config.sip.host === '0.0.0.0' ? '<this machine>' : config.sip.host;
  const lines = [
    '',
    'Switchboard IVR demo is running.',
    '',
    `  Designer      http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${http}/`,
  ];
  if (sip !== null) {
    lines.push(
      `  SIP           ${host}:${sip} (${config.sip.transports.join(', ')})`,
      '',
      '  Softphone accounts (register, then dial a number below):',
    );
    for (const e of config.extensions) {
      const role = e.permissions.includes('monitor')
        ? 'supervisor'
        : e.group
          ? `agent, group ${e.group}`
          : 'agent';
      lines.push(`    user ${e.number}  password ${e.password}  domain ${host}:${sip}  (${role})`);
    }
    lines.push('', '  Numbers:');
    for (const r of routes)
      lines.push(`    ${r.number}  ${r.flowId.padEnd(22)} sip:${r.number}@${host}:${sip}`);
    lines.push(
      '',
      `  Control API   http://127.0.0.1:${http}/bridge/callctrl?…  (docs/api-bridge.md), agents' state:`,
      `                curl 'http://127.0.0.1:${http}/bridge/jsoncfg?opt=EXTNUM_STATE'`,
    );
  } else {
    lines.push('  SIP is off (sip.enabled = false): use the designer test call panel.');
  }
  lines.push('', '  Ctrl-C stops (calls in progress are given time to finish).', '');
  return lines.join('\n');
}

export async function run(args: string[]): Promise<number> {
  const first = configFromArgs(args);
  if ('exit' in first) return first.exit;
  // The demo extensions apply only when the configuration does not list its own.
  const extensions =
    first.config.extensions.length > 0 ? first.config.extensions : demoExtensions(first.config.db);
  const groups =
    first.config.groups.length > 0 || first.config.extensions.length > 0
      ? first.config.groups
      : [
          {
            number: '3000',
            name: 'Service desk',
            strategy: 'longest-idle' as const,
            ringSec: 20,
            timeoutSec: 120,
          },
        ];
  const config: Config = { ...first.config, extensions, groups };
  const backend = await startExamplesBackend({ port: config.demo.backendPort, host: '127.0.0.1' });
  const runtime = await startRuntime(config, { flowFile: first.flow }).catch(async (err: unknown) => {
    await backend.close();
    throw err;
  });
  const routes = await seedExamples(
    runtime.store,
    fileURLToPath(new URL('../../../examples', import.meta.url)),
    backend.port,
  );
  process.stdout.write(banner(config, runtime.http.port, runtime.sip?.port ?? null, routes));
  process.stdout.write(`  Examples backend (check URLs) on http://127.0.0.1:${backend.port}/\n\n`);
  const code = await stopOnSignal(runtime);
  await backend.close();
  return code;
}
