// `ivr serve`: runs the runtime (HTTP API, designer, SIP engine) until SIGTERM/SIGINT, then drains and exits 0.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../../config/load.ts';
import type { Config } from '../../config/schema.ts';
import { startRuntime, type Runtime } from '../../server.ts';

export const USAGE = `usage: ivr serve [--config FILE] [--flow FILE] [--sounds DIR] [--http-port N] [--sip-port N]
                 [--db FILE] [--host H] [--no-sip] [--engine embedded|freeswitch]

  --config FILE   ivr.config.json (default: $IVR_CONFIG, else built-in defaults; see docs/configuration.md)
  --flow FILE     answer every call with this tns:vxml file (routes are ignored)
  --sounds DIR    sound root, [FILE_PATH] (default sounds)
  --http-port N   HTTP API and designer port (default 12121; 0 = any free port)
  --sip-port N    SIP port, UDP and TCP (default 5060; 0 = any free port)
  --db FILE       SQLite store (default data/ivr.db)
  --host H        address for HTTP and SIP (default 127.0.0.1)
  --no-sip        HTTP only: no SIP engine
  --engine E      embedded (default) or freeswitch: calls through drachtio-server and FreeSWITCH media servers,
                  as the configuration's \`freeswitch\` key says (deploy/README.md)
`;

const OPTIONS = {
  config: { type: 'string' },
  flow: { type: 'string' },
  sounds: { type: 'string' },
  'http-port': { type: 'string' },
  'sip-port': { type: 'string' },
  db: { type: 'string' },
  host: { type: 'string' },
  'no-sip': { type: 'boolean' },
  engine: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>['values'];

/** Command-line values as config overrides (dotted keys); numbers are validated by the config schema. */
export function overridesOf(v: Values): Record<string, unknown> {
  const num = (s: string | undefined) => (s === undefined ? undefined : /^\d+$/.test(s) ? Number(s) : s);
  return {
    sounds: v.sounds,
    db: v.db,
    'http.port': num(v['http-port']),
    'sip.port': num(v['sip-port']),
    'http.host': v.host,
    'sip.host': v.host,
    'sip.enabled': v['no-sip'] ? false : undefined,
    engine: v.engine,
  };
}

/** Parses `args` into a Config; prints the problem and returns an exit code when it cannot. */
export function configFromArgs(
  args: string[],
  base?: Record<string, unknown>,
): { config: Config; flow?: string } | { exit: number } {
  let values: Values;
  try {
    values = parseArgs({ args, options: OPTIONS, allowPositionals: false }).values;
  } catch (err) {
    process.stderr.write(`ivr: ${(err as Error).message}\n\n${USAGE}`);
    return { exit: 2 };
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return { exit: 0 };
  }
  try {
    return {
      config: loadConfig({ file: values.config, overrides: overridesOf(values), base }),
      flow: values.flow,
    };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`ivr: ${err.message}\n`);
    return { exit: 2 };
  }
}

/** Resolves on the first SIGTERM or SIGINT after stopping the runtime; a second signal exits at once. */
export function stopOnSignal(runtime: Runtime): Promise<number> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      const force = () => process.exit(1);
      process.once('SIGTERM', force);
      process.once('SIGINT', force);
      process.stderr.write(`ivr: ${signal}: draining calls, then stopping\n`);
      runtime.stop().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`ivr: stop failed: ${String(err)}\n`);
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

export async function run(args: string[]): Promise<number> {
  const parsed = configFromArgs(args);
  if ('exit' in parsed) return parsed.exit;
  const { config } = parsed;
  const runtime = await startRuntime(config, { flowFile: parsed.flow });
  const sip = !runtime.sip
    ? ''
    : config.engine === 'freeswitch'
      ? `, SIP through drachtio-server on port ${runtime.sip.port} (media on FreeSWITCH)`
      : `, SIP on ${config.sip.host}:${runtime.sip.port} (${config.sip.transports.join('+')})`;
  process.stdout.write(`ivr: HTTP on http://${config.http.host}:${runtime.http.port}${sip}\n`);
  return stopOnSignal(runtime);
}
