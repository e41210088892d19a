// Loads the configuration: defaults < `ivr.config.json` (--config or IVR_CONFIG) < IVR_* environment < command line.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.ts';

/** Every problem found, each naming the key (and the variable or file it came from). */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

type Kind = 'number' | 'string' | 'list' | 'boolean';

/** Environment variable -> config key path and how its text is read. */
export const envKeys: Record<string, { path: string[]; kind: Kind }> = {
  IVR_HTTP_HOST: { path: ['http', 'host'], kind: 'string' },
  IVR_HTTP_PORT: { path: ['http', 'port'], kind: 'number' },
  IVR_HTTP_ALLOWED_HOSTS: { path: ['http', 'allowedHosts'], kind: 'list' },
  IVR_HTTP_ALLOWED_ORIGINS: { path: ['http', 'allowedOrigins'], kind: 'list' },
  IVR_SIP_HOST: { path: ['sip', 'host'], kind: 'string' },
  IVR_SIP_PORT: { path: ['sip', 'port'], kind: 'number' },
  IVR_SIP_ENABLED: { path: ['sip', 'enabled'], kind: 'boolean' },
  IVR_SIP_MEDIA_TIMEOUT_MS: { path: ['sip', 'mediaTimeoutMs'], kind: 'number' },
  IVR_SIP_MEDIA_WORKER: { path: ['sip', 'mediaWorker'], kind: 'boolean' },
  IVR_ENGINE: { path: ['engine'], kind: 'string' },
  IVR_DRACHTIO_HOST: { path: ['freeswitch', 'drachtio', 'host'], kind: 'string' },
  IVR_DRACHTIO_PORT: { path: ['freeswitch', 'drachtio', 'port'], kind: 'number' },
  IVR_DRACHTIO_SECRET: { path: ['freeswitch', 'drachtio', 'secret'], kind: 'string' },
  IVR_DB: { path: ['db'], kind: 'string' },
  IVR_SOUNDS: { path: ['sounds'], kind: 'string' },
  IVR_RECORDINGS: { path: ['recordings'], kind: 'string' },
  IVR_VOICEMAIL: { path: ['voicemail'], kind: 'string' },
  IVR_DESIGNER: { path: ['designer'], kind: 'string' },
  IVR_LOG_LEVEL: { path: ['log', 'level'], kind: 'string' },
  IVR_API_KEYS: { path: ['auth', 'apiKeys'], kind: 'list' },
  IVR_DRAIN_MS: { path: ['calls', 'drainDeadlineMs'], kind: 'number' },
  IVR_CHECK_TIMEOUT_MS: { path: ['check', 'timeoutMs'], kind: 'number' },
  IVR_TTS_VOICE: { path: ['tts', 'voice'], kind: 'string' },
  IVR_DEMO_BACKEND_PORT: { path: ['demo', 'backendPort'], kind: 'number' },
};

function readEnvValue(text: string, kind: Kind): unknown {
  if (kind === 'list')
    return text
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  if (kind === 'boolean')
    return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : text;
  // A non-numeric value stays text, so that validation reports it against the variable's name.
  if (kind === 'number') return /^\s*\d+\s*$/.test(text) ? Number(text) : text;
  return text;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function readFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError([`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError([`${file}: not valid JSON (${(err as Error).message})`]);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError([`${file}: the top level must be a JSON object`]);
  }
  return value as Record<string, unknown>;
}

function describe(issue: z.core.$ZodIssue, origins: Map<string, string>, file?: string): string {
  const key = issue.path.join('.') || '(top level)';
  const env = origins.get(issue.path.slice(0, 2).join('.')) ?? origins.get(String(issue.path[0]));
  const from = env ? ` (from ${env})` : file ? ` (in ${file})` : '';
  const keys = issue.code === 'unrecognized_keys' ? `: ${issue.keys.join(', ')}` : '';
  return `${key}${from}: ${issue.message}${keys}`;
}

export interface LoadOptions {
  /** Config file; when absent, IVR_CONFIG is used; when both are absent, defaults apply. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from the command line, applied last (dotted keys, e.g. `http.port`). */
  overrides?: Record<string, unknown>;
  /** A base object under the file (used by `ivr demo` for its demo extensions and routes). */
  base?: Record<string, unknown>;
}

/** Reads, merges and validates the configuration; throws ConfigError listing every bad key. */
export function loadConfig(opts: LoadOptions = {}): Config {
  const env = opts.env ?? process.env;
  const file = opts.file ?? (env.IVR_CONFIG || undefined);
  const raw: Record<string, unknown> = structuredClone(opts.base ?? {});
  if (file) {
    for (const [key, value] of Object.entries(readFile(file))) {
      const merged = raw[key];
      raw[key] =
        isPlainObject(merged) && isPlainObject(value) ? { ...merged, ...value } : structuredClone(value);
    }
  }
  const origins = new Map<string, string>();
  for (const [name, { path, kind }] of Object.entries(envKeys)) {
    const text = env[name];
    if (text === undefined || text === '') continue;
    setPath(raw, path, readEnvValue(text, kind));
    origins.set(path.join('.'), name);
  }
  for (const [dotted, value] of Object.entries(opts.overrides ?? {})) {
    if (value === undefined) continue;
    setPath(raw, dotted.split('.'), value);
    origins.set(dotted, 'the command line');
  }
  const result = configSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(result.error.issues.map((i) => describe(i, origins, file)));
  return result.data;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
