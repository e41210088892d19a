// The composition root: store, flow registry, calls, HTTP API and SIP engine wired from one Config.
import { mkdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { formatProblem } from '../schema/errors.ts';
import type { Config } from './config/schema.ts';
import { createLogger, type Logger } from './log.ts';
import { openStore, type Store } from './callcenter/store/db.ts';
import { checkFlow, FlowRegistry, hasErrors } from './callcenter/flow-registry.ts';
import { CallCenter } from './callcenter/call-center.ts';
import type { MediaEngine } from './media/contract.ts';
import { createApp, listen } from './api/app.ts';
import { UrlPolicy } from './net/url-policy.ts';
import { ConfinedRoot } from './files/confined-root.ts';
import { EmbeddedEngine } from './media/embedded/engine.ts';
import { FreeswitchEngine } from './media/freeswitch/engine.ts';
import { EspeakTts, type TtsEngine } from './media/audio/tts.ts';
import { HttpTts } from './media/audio/tts-http.ts';
import { openBrowserCall } from './media/browser/channel.ts';
import { SmsQuery } from './callcenter/sms/sms-query.ts';
import { serveSmsOverSip } from './callcenter/sms/sip-channel.ts';

export interface RuntimeOptions {
  /** A flow file that answers every call (overrides routes). */
  flowFile?: string;
  log?: Logger;
}

export interface Runtime {
  http: { port: number };
  /** Null when SIP is disabled in the configuration. */
  sip: { port: number } | null;
  store: Store;
  calls: CallCenter;
  /** Stops taking calls (new INVITEs get 503) and waits for live ones up to the drain deadline. */
  drain(): Promise<number>;
  /** Drains, then closes the engine, the HTTP server and the store. */
  stop(): Promise<void>;
  /** The embedded engine's media clock (which thread, lateness per tick) for benches; null on other engines. */
  mediaClock(reset?: boolean): Promise<Awaited<ReturnType<EmbeddedEngine['mediaClock']>> | null>;
  /** What the embedded engine's media worker holds, for soak benches; null without one. */
  mediaWorker(): Promise<Awaited<ReturnType<EmbeddedEngine['mediaWorkerResources']>> | null>;
}

/** Reads a `--flow` file; refuses to start on any error in it. */
function readFlowFile(file: string) {
  const { document, problems } = checkFlow(readFileSync(file, 'utf8'));
  if (!document || hasErrors(problems)) {
    const lines = problems.filter((p) => p.severity === 'error').map((p) => `  ${file}:${formatProblem(p)}`);
    throw new Error(`the flow file has errors:\n${lines.join('\n')}`);
  }
  return document;
}

/** Routes from the configuration; a route to a flow that does not exist is skipped with a warning. */
async function applyConfigRoutes(store: Store, config: Config, log: Logger): Promise<void> {
  for (const r of config.routes) {
    if (await store.flows.exists(r.flowId)) await store.routes.upsert(r);
    else log.warn({ route: r }, 'route to an unknown flow skipped');
  }
}

/** The host part of callIds: the SIP address, or this machine's name when SIP listens on every address. */
function callIdHost(config: Config): string {
  const h = config.sip.host;
  return h === '0.0.0.0' || h === '::' ? hostname() : h;
}

/** The outbound-URL policy of check URLs, which every URL the runtime calls goes through. */
function urlPolicyOf(config: Config): UrlPolicy {
  const { allow, deny, allowPrivate } = config.check;
  return new UrlPolicy({ allow, deny, allowPrivate });
}

/** The TTS engine the configuration asks for, its results cached beside the store (or in `tts.cacheDir`). */
export function createTts(config: Config): TtsEngine {
  const { tts } = config;
  const cacheDir =
    tts.cacheDir !== undefined
      ? resolve(tts.cacheDir)
      : config.db === ':memory:'
        ? undefined
        : join(dirname(resolve(config.db)), 'tts-cache');
  const cache = { voice: tts.voice, cacheDir };
  if (tts.engine === 'http' && tts.http.url)
    return new HttpTts({
      ...cache,
      urlTemplate: tts.http.url,
      policy: urlPolicyOf(config),
      timeoutMs: tts.http.timeoutMs,
      maxBytes: tts.http.maxBytes,
      headers: tts.http.headers,
    });
  return new EspeakTts(cache);
}

/** The telephony engine the configuration asks for (the composition root is the one place that knows engines). */
function createEngine(config: Config, log: Logger, tts: TtsEngine): MediaEngine {
  if (config.engine === 'freeswitch') return createFreeswitchEngine(config, log, tts);
  return new EmbeddedEngine({
    host: config.sip.host,
    publicHost: config.sip.publicHost,
    trunk: config.sip.trunk,
    sipPort: config.sip.port,
    transports: config.sip.transports,
    rtpPorts: config.sip.rtpPorts,
    tcp: {
      idleMs: config.sip.tcp.idleTimeoutSec * 1000,
      maxConnections: config.sip.tcp.maxConnections,
      maxConnectionsPerSource: config.sip.tcp.maxConnectionsPerSource,
    },
    authFailures: {
      limit: config.sip.authFailures.limit,
      windowMs: config.sip.authFailures.windowSec * 1000,
      blockMs: config.sip.authFailures.blockSec * 1000,
    },
    mediaTimeoutMs: config.sip.mediaTimeoutMs,
    mediaWorker: config.sip.mediaWorker,
    extensions: config.extensions,
    tts,
    log: { debug: (o, m) => log.debug(o, m), warn: (o, m) => log.warn(o, m) },
  });
}

/** The FreeSWITCH engine: drachtio-server and the media servers of `freeswitch` (deploy/README.md). */
function createFreeswitchEngine(config: Config, log: Logger, tts: TtsEngine): MediaEngine {
  const fs = config.freeswitch;
  if (!fs.drachtio.secret) throw new Error('engine "freeswitch" needs freeswitch.drachtio.secret');
  if (fs.mediaServers.length === 0)
    throw new Error('engine "freeswitch" needs at least one freeswitch.mediaServers entry');
  return new FreeswitchEngine({
    drachtio: { host: fs.drachtio.host, port: fs.drachtio.port, secret: fs.drachtio.secret },
    mediaServers: fs.mediaServers,
    ttsDir: resolve(fs.ttsDir),
    tts,
    holdMusic: resolve(config.sounds, 'system/moh.wav'),
    conferenceProfile: fs.conferenceProfile,
    trunk: config.sip.trunk,
    connectTimeoutMs: fs.connectTimeoutMs,
    log: { debug: (o, m) => log.debug(o, m), warn: (o, m) => log.warn(o, m) },
  });
}

/** Screen pops as configured (section 4), through the same outbound-URL policy as check URLs. */
function screenPopsOf(config: Config) {
  const { url, secret, retryForSec, timeoutMs } = config.callCenter.screenPop;
  if (!url) return undefined;
  return { url, secret, retryForMs: retryForSec * 1000, timeoutMs, policy: urlPolicyOf(config) };
}

/** The call center as configured: check policy, limits, recordings, the control API's ringing and sounds. */
function createCallCenter(
  config: Config,
  d: {
    store: Store;
    flows: FlowRegistry;
    log: Logger;
    soundRoot: string;
    recordingsDir: string;
    tts: TtsEngine;
    voicemailDir: string;
  },
): CallCenter {
  const { check } = config;
  return new CallCenter({
    store: d.store,
    log: d.log,
    flows: d.flows,
    host: callIdHost(config),
    maxTraceEvents: config.calls.maxTraceEvents,
    ringSec: config.callCenter.ringSec,
    hasTrunk: config.sip.trunk !== undefined,
    screenPops: screenPopsOf(config),
    recordCallsTo: config.callCenter.recordCalls ? new ConfinedRoot(d.recordingsDir) : undefined,
    dialer: config.dialer,
    tts: d.tts,
    voicemail: new ConfinedRoot(d.voicemailDir),
    sounds: {
      ringback: resolve(d.soundRoot, 'system/ringback.wav'),
      notReached: resolve(d.soundRoot, 'system/not_reached.wav'),
      holdMusic: resolve(d.soundRoot, 'system/moh.wav'),
    },
    session: {
      soundRoot: d.soundRoot,
      // `<tns:record>` is voicemail: it writes into the voicemail root (call recordings stay apart).
      recordingsDir: d.voicemailDir,
      maxSteps: config.calls.maxSteps,
      check: {
        timeoutMs: check.timeoutMs,
        maxBytes: check.maxBytes,
        policy: urlPolicyOf(config),
      },
    },
  });
}

/** SMS self-service (section 23) as configured, through the same outbound-URL policy as check URLs. */
function smsQueryOf(config: Config, log: Logger): SmsQuery | undefined {
  const { url, channels, timeoutMs, maxBytes } = config.callCenter.sms;
  if (!url) return undefined;
  const { allow, deny, allowPrivate } = config.check;
  return new SmsQuery({
    url,
    channels,
    timeoutMs,
    maxBytes,
    policy: new UrlPolicy({ allow, deny, allowPrivate }),
    log,
  });
}

export async function startRuntime(config: Config, opts: RuntimeOptions = {}): Promise<Runtime> {
  const log = opts.log ?? createLogger(config.log.level);
  const fixed = opts.flowFile ? readFlowFile(opts.flowFile) : undefined;
  const soundRoot = resolve(config.sounds);
  const recordingsDir = resolve(config.recordings);
  const voicemailDir = resolve(config.voicemail);
  mkdirSync(recordingsDir, { recursive: true });
  mkdirSync(voicemailDir, { recursive: true });
  // Before the store opens: a FreeSWITCH configuration without its secrets stops here, with nothing to close.
  const tts = createTts(config);
  const engine = config.sip.enabled ? createEngine(config, log, tts) : undefined;
  const store = await openStore(resolve(config.db));
  // One runtime per host owns its calls: rows left open by a crash are calls that are gone.
  const interrupted = await store.callLogs.closeInterrupted(callIdHost(config));
  if (interrupted > 0) log.warn({ calls: interrupted }, 'closed the call logs a crash left open');
  await applyConfigRoutes(store, config, log);
  const flows = new FlowRegistry(store, fixed);
  await flows.refreshRoutes();
  const calls = createCallCenter(config, { store, flows, log, soundRoot, recordingsDir, voicemailDir, tts });
  const sms = smsQueryOf(config, log);
  let http: Awaited<ReturnType<typeof listen>> | undefined;
  try {
    await calls.load(config);
    if (engine) calls.attach(engine);
    // SMS over SIP MESSAGE is the embedded engine's (a FreeSWITCH engine would hand messages over its own way).
    if (engine instanceof EmbeddedEngine && sms) serveSmsOverSip(engine, sms, log);
    if (engine)
      engine.on('registration', (ev) =>
        log.info(ev, ev.registered ? 'extension registered' : 'extension unregistered'),
      );
    const app = createApp({
      config,
      store,
      calls,
      flows,
      log,
      sounds: new ConfinedRoot(soundRoot),
      recordings: new ConfinedRoot(recordingsDir),
      openBrowserCall,
      sms,
      designerDir: resolve(config.designer),
      tts,
    });
    http = await listen(app, config.http.host, config.http.port);
    await engine?.start();
    // Queued tasks (from before a restart too) are dialled once the engine takes calls.
    if (engine) calls.dialer.start();
  } catch (err) {
    await http?.close();
    await store.close();
    throw err;
  }
  log.info({ http: http.port, sip: engine?.sipPort ?? null }, 'runtime started');

  let stopping: Promise<void> | undefined;
  const drain = async () => {
    // The dialer starts no more calls; queued tasks stay in the store for the next start.
    const dialerStopped = calls.dialer.stop();
    // New INVITEs get 503 from now on; calls.drain waits for the calls, bounded by the deadline.
    void engine?.drain();
    const cut = await calls.drain(config.calls.drainDeadlineMs);
    if (cut > 0) log.warn({ calls: cut }, 'calls cut at the drain deadline');
    // Attempts write their outcome after their call ended: the store stays open until they did.
    await dialerStopped;
    return cut;
  };
  const stop = () =>
    (stopping ??= (async () => {
      await drain();
      await calls.screenPops?.stop();
      await engine?.stop();
      await http.close();
      await store.close();
      log.info('runtime stopped');
    })());
  return {
    http: { port: http.port },
    sip: engine?.sipPort !== undefined ? { port: engine.sipPort } : null,
    store,
    calls,
    drain,
    stop,
    mediaClock: async (reset) => (engine instanceof EmbeddedEngine ? engine.mediaClock(reset) : null),
    mediaWorker: async () =>
      engine instanceof EmbeddedEngine ? ((await engine.mediaWorkerResources()) ?? null) : null,
  };
}
