// Where the FreeSWITCH tests find a running drachtio-server and FreeSWITCH: IVR_DRACHTIO (host:port of drachtio's
// admin port) with IVR_DRACHTIO_SECRET, IVR_FREESWITCH (host:port of each event socket, comma-separated) with
// IVR_FREESWITCH_SECRET. Unset: the suites that need them are skipped (and prove nothing).
import type { FreeswitchEngineOptions } from '../../../runtime/media/freeswitch/engine.ts';

export interface FreeswitchEnv {
  drachtio: { host: string; port: number; secret: string };
  mediaServers: { address: string; port: number; secret: string }[];
}

function hostPort(text: string, what: string): { host: string; port: number } {
  const m = /^([^:]+):(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`${what}: expected host:port, got ${JSON.stringify(text)}`);
  return { host: m[1], port: Number(m[2]) };
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`IVR_DRACHTIO and IVR_FREESWITCH are set: set ${name} too`);
  return value;
}

/** The running servers the environment names, or undefined when it names none. */
export function freeswitchEnv(env: NodeJS.ProcessEnv = process.env): FreeswitchEnv | undefined {
  if (!env.IVR_DRACHTIO || !env.IVR_FREESWITCH) return undefined;
  const drachtio = hostPort(env.IVR_DRACHTIO, 'IVR_DRACHTIO');
  const secret = required(env, 'IVR_FREESWITCH_SECRET');
  return {
    drachtio: { ...drachtio, secret: required(env, 'IVR_DRACHTIO_SECRET') },
    mediaServers: env.IVR_FREESWITCH.split(',').map((s) => {
      const { host, port } = hostPort(s, 'IVR_FREESWITCH');
      return { address: host, port, secret };
    }),
  };
}

/** Engine options for `env` (FreeSWITCH runs on this machine: it reads the same paths). */
export function engineOptions(
  env: FreeswitchEnv,
  o: { holdMusic: string; ttsDir: string },
): FreeswitchEngineOptions {
  return { drachtio: env.drachtio, mediaServers: env.mediaServers, ...o };
}
