// The shape of `ivr.config.json`, validated with zod: every key, its default and its limits in one place.
import { isIP } from 'node:net';
import { z } from 'zod';

const port = z.number().int().min(0).max(65535);
/** An IPv4/IPv6 address, or a CIDR block of them. */
const addressOrBlock = z.string().refine((v) => {
  const [address, bits, extra] = v.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
}, 'an IP address or a CIDR block (10.0.0.0/8)');
const host = z.string().min(1);
const phoneNumber = z.string().regex(/^[0-9*#+]{1,32}$/, 'digits, *, # or + (1 to 32 characters)');
const flowId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and - (1 to 64)');
/** A name the HTTP server answers to: `name` (any port), `name:port`, `*.domain` (its subdomains), `[v6]`, or `*`. */
const hostName = z
  .string()
  .regex(
    /^(\*|(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?)$/,
    'a host name, name:port, *.domain, [IPv6 address] or *',
  );
/** A web origin: scheme, host and optional port, nothing else. */
const webOrigin = z
  .string()
  .regex(
    /^https?:\/\/([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/,
    'an origin: http:// or https://, a host and an optional port (no path, no trailing /)',
  );

export const extensionSchema = z.strictObject({
  number: phoneNumber,
  password: z.string().min(4, 'at least 4 characters'),
  /** The agent's name (EXTNUM_STATE `userName`). */
  name: z.string().max(64).optional(),
  /** The group (queue) the extension answers for. */
  group: phoneNumber.optional(),
  /** `monitor`: may listen to, whisper to, barge into and force-hang-up other extensions' calls. */
  permissions: z.array(z.enum(['monitor'])).default([]),
});

export const groupSchema = z.strictObject({
  number: phoneNumber,
  name: z.string().max(64).optional(),
  /** ring-all: every free agent at once; round-robin: in turn; longest-idle: the agent free the longest first. */
  strategy: z.enum(['ring-all', 'round-robin', 'longest-idle']).default('longest-idle'),
  /** Seconds each agent is rung before the next is tried. */
  ringSec: z.number().int().min(5).max(120).default(20),
  /** Seconds a caller waits in the queue before the transfer fails with `no-answer`. */
  timeoutSec: z.number().int().min(5).max(3600).default(120),
  /** Music on hold while queued: a WAV inside the sound root (default sounds/system/moh.wav). */
  holdMusic: z.string().min(1).max(512).optional(),
});

export const routeSchema = z.strictObject({ number: phoneNumber, flowId });

/** Outcomes of an attempt the retry policy may dial again (`noSuchNumber` never is). */
export const RETRYABLE = ['busy', 'no-answer', 'unreachable', 'failed'] as const;

/** The outbound dialer: CAPTCHA calls (section 3) and IVR_TTS_CALL calls (section 18). */
export const dialerSchema = z
  .strictObject({
    /** Limits of the trunk the dialer's calls go out through. */
    trunk: z
      .strictObject({
        /** Dialer calls up at once (ringing or talking). */
        channels: z.number().int().min(1).max(10000).default(30),
        /** New dialer calls started per second at most. */
        callsPerSecond: z.number().min(0.1).max(1000).default(10),
      })
      .prefault({}),
    /** Seconds a customer is rung before the attempt counts as not answered. */
    ringSec: z.number().int().min(5).max(300).default(45),
    /** The number customers see (the From user of the dialer's calls). */
    callerId: phoneNumber.default('0'),
    retry: z
      .strictObject({
        /** Dial attempts per task at most (1 = never retried). */
        maxAttempts: z.number().int().min(1).max(10).default(3),
        /** Seconds between an attempt that failed and the next. */
        delaySec: z.number().int().min(0).max(86400).default(60),
        /** Which outcomes are dialled again. */
        on: z.array(z.enum(RETRYABLE)).default(['busy', 'no-answer', 'unreachable']),
      })
      .prefault({}),
    /** Tasks waiting at most; a new one past it answers 486 ("back end busy, retry later"). */
    maxQueued: z.number().int().min(1).max(10000000).default(100000),
    /** Days a finished task stays queryable (GET_CAPTCHA_RESULT, IVR_TTS_CALL_RESULT). */
    keepDays: z.number().int().min(1).max(3650).default(30),
    /** The manual's `pwd` (section 3): md5(secret + callee + code + yyyy-MM-dd). */
    pwd: z
      .strictObject({
        secret: z.string().min(8, 'at least 8 characters').optional(),
        /** Refuse `pwd=no` (and IVR_TTS_CALL without a pwd) with 401 even from clients the API admits. */
        required: z.boolean().default(false),
      })
      .prefault({}),
    /** CLICK_TO_FIXEDLINE_CAPTCHA: a line without answer supervision (no polarity reversal). */
    fixedLine: z
      .strictObject({
        /** True when the fixed line reports the answer (polarity reversal): no lead-in then. */
        answerSupervision: z.boolean().default(false),
        /** Looped until a key is pressed: a WAV in the sound root. */
        leadIn: z.string().min(1).max(512).default('system/press_any_key.wav'),
        /** Seconds the lead-in loops for a key before the attempt counts as not answered. */
        leadInSec: z.number().int().min(5).max(300).default(30),
      })
      .prefault({}),
  })
  .prefault({});

export const configSchema = z.strictObject({
  http: z
    .strictObject({
      /** Loopback by default: the control API and the designer are a developer tool until keys are set. */
      host: host.default('127.0.0.1'),
      port: port.default(12121),
      /** Largest JSON body accepted by the API. */
      maxBodyBytes: z
        .number()
        .int()
        .min(1024)
        .max(64 * 1024 * 1024)
        .default(1024 * 1024),
      /** Largest WAV upload accepted by `POST /api/sounds`. */
      maxUploadBytes: z
        .number()
        .int()
        .min(1024)
        .max(512 * 1024 * 1024)
        .default(20 * 1024 * 1024),
      /**
       * Host names accepted in `Host`, besides the loopback names and `host` itself: a web page on another name
       * (DNS rebinding) is refused (docs/security.md).
       */
      allowedHosts: z.array(hostName).default([]),
      /** Origins besides the runtime's own whose pages may change state (a reverse proxy's public name). */
      allowedOrigins: z.array(webOrigin).default([]),
    })
    .prefault({}),
  sip: z
    .strictObject({
      /** Off: the runtime serves HTTP only (designer work, tests) and takes no calls. */
      enabled: z.boolean().default(true),
      host: host.default('127.0.0.1'),
      port: port.default(5060),
      transports: z
        .array(z.enum(['udp', 'tcp']))
        .min(1)
        .default(['udp', 'tcp']),
      /** Address advertised in Via, Contact and SDP when it differs from `host` (NAT). */
      publicHost: host.optional(),
      /** Where calls to numbers that are not extensions go (transfers to external numbers). */
      trunk: z
        .strictObject({
          host,
          port: port.optional(),
          transport: z.enum(['udp', 'tcp']).optional(),
          username: z.string().min(1).optional(),
          password: z.string().min(1).optional(),
          fromDomain: z.string().min(1).optional(),
        })
        .optional(),
      rtpPorts: z
        .strictObject({ min: port, max: port })
        .refine((r) => r.min <= r.max, 'min must not exceed max')
        .default({ min: 20000, max: 20999 }),
      /** Limits on SIP over TCP, so that idle or hostile connections cannot lock phones out (security.md). */
      tcp: z
        .strictObject({
          /** A connection that carries nothing (not even a CRLF keep-alive) for this long is closed. */
          idleTimeoutSec: z.number().int().min(5).max(86400).default(120),
          /** Connections held at once; at the cap a new one replaces the one idle the longest. */
          maxConnections: z.number().int().min(1).max(100000).default(1024),
          /** Connections one source address may hold; more are closed at once. */
          maxConnectionsPerSource: z.number().int().min(1).max(100000).default(32),
        })
        .prefault({}),
      /** Failed digest authentications (REGISTER and INVITE) per source address before it is refused (403). */
      authFailures: z
        .strictObject({
          /** Failures within `windowSec` that block the source; 0 turns blocking off (failures are still logged). */
          limit: z.number().int().min(0).max(100000).default(10),
          windowSec: z.number().int().min(1).max(86400).default(60),
          /** How long a blocked source gets 403 to every REGISTER and INVITE. */
          blockSec: z.number().int().min(1).max(604800).default(300),
        })
        .prefault({}),
      /**
       * A call whose phone sends no RTP for this long is hung up (`media-timeout`): a phone that lost power or
       * network never sends BYE, and its call would hold a channel forever. 0 turns it off.
       */
      mediaTimeoutMs: z
        .number()
        .int()
        .refine((ms) => ms === 0 || (ms >= 1000 && ms <= 3600000), '0 (off) or 1000 to 3600000 ms')
        .default(60000),
      /**
       * Run RTP (every session's sockets, the 20 ms media clock, conference mixing) in a worker thread of its
       * own, so SIP, checks and store writes on the main thread never delay a packet. false: one thread.
       */
      mediaWorker: z.boolean().default(true),
    })
    .prefault({}),
  /** Which media engine takes the calls: the embedded SIP/RTP engine, or FreeSWITCH behind drachtio-server. */
  engine: z.enum(['embedded', 'freeswitch']).default('embedded'),
  /** The FreeSWITCH engine (`engine: "freeswitch"`, deploy/README.md); `sip.*` then applies to nothing. */
  freeswitch: z
    .strictObject({
      /** drachtio-server's admin port, where the runtime connects (its SIP port is drachtio's own setting). */
      drachtio: z
        .strictObject({
          host: host.default('127.0.0.1'),
          port: port.default(9022),
          secret: z.string().min(1).optional(),
        })
        .prefault({}),
      /** The media servers' event sockets; each call goes to the least loaded one that is up. */
      mediaServers: z
        .array(
          z.strictObject({
            address: host,
            port: port.default(8021),
            secret: z.string().min(1),
            /** Where the runtime listens for the server's outbound event-socket connections (default loopback). */
            listenAddress: host.optional(),
            /** Its port (default: any free one). */
            listenPort: port.optional(),
            /** The sofia profile that takes calls from drachtio-server (deploy/freeswitch: `drachtio_mrf`). */
            profile: z
              .string()
              .regex(/^[A-Za-z0-9_-]{1,64}$/)
              .optional(),
          }),
        )
        .default([]),
      /** TTS prompts are written here as WAV files; the media servers must read the same path. */
      ttsDir: z.string().min(1).default('data/tts'),
      /** The mod_conference profile of deploy/freeswitch. */
      conferenceProfile: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/)
        .default('switchboard'),
      /** How long the start waits for drachtio-server and each event socket before it stops with an error. */
      connectTimeoutMs: z.number().int().min(100).max(120000).default(5000),
    })
    .prefault({}),
  db: z.string().min(1).default('data/ivr.db'),
  sounds: z.string().min(1).default('sounds'),
  recordings: z.string().min(1).default('data/recordings'),
  /** Voicemail messages (`<tns:record>`, manual section 27): their own root, apart from call recordings. */
  voicemail: z.string().min(1).default('data/voicemail'),
  /** The built designer served at `/` (skipped when the folder does not exist). */
  designer: z.string().min(1).default('designer/dist'),
  log: z
    .strictObject({
      level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    })
    .prefault({}),
  extensions: z.array(extensionSchema).default([]),
  /** Groups (queues) a flow's `<tns:transfer dest>` or the control API can send a call to. */
  groups: z.array(groupSchema).default([]),
  /** Called number -> flow id; written into the routes table at start (API edits persist until the next start). */
  routes: z.array(routeSchema).default([]),
  check: z
    .strictObject({
      timeoutMs: z.number().int().min(100).max(60000).default(5000),
      maxBytes: z.number().int().min(16).max(65536).default(1024),
      allow: z.array(z.string().min(1)).default([]),
      deny: z.array(z.string().min(1)).default([]),
      allowPrivate: z.boolean().default(true),
    })
    .prefault({}),
  auth: z
    .strictObject({
      /** Keys accepted as `Authorization: Bearer <key>`. */
      apiKeys: z.array(z.string().min(16, 'at least 16 characters')).default([]),
      /** Requests from 127.0.0.0/8 and ::1 need no key (decisions.md, Security). */
      loopbackOpen: z.boolean().default(true),
      /**
       * Addresses (IPv4/IPv6, or CIDR blocks) of integrators' servers that may use the manual's interfaces without a
       * key (the manual's `authtype=no` / `pwd=no` clients).
       */
      trustedClients: z.array(addressOrBlock).default([]),
    })
    .prefault({}),
  callCenter: z
    .strictObject({
      screenPop: z
        .strictObject({
          /**
           * The CRM's URL (manual section 4): on every state change of a call that involves an extension, a GET to
           * it with id, caller, callee, state, direction, businessId and group. Unset: no screen pops.
           */
          url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
          /** Key of the HMAC-SHA256 signature each pop carries (`X-Switchboard-Signature`); unset: unsigned. */
          secret: z.string().min(16, 'at least 16 characters').optional(),
          /** How long a pop is retried (with back-off) while the CRM does not answer 2xx. */
          retryForSec: z.number().int().min(1).max(86400).default(600),
          /** Time allowed for one request. */
          timeoutMs: z.number().int().min(100).max(60000).default(5000),
        })
        .prefault({}),
      sms: z
        .strictObject({
          /**
           * The integrator's URL (manual section 23): every SMS to a channel is forwarded to it as
           * `?method=smsquery&telnum=…&contant=…&channel=…`; its answer goes back as an SMS unless it is 403.
           * Unset: SMS self-service is off.
           */
          url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }).optional(),
          /** Numbers (SIP MESSAGE) or gateway channel names that take SMS queries; empty: every one. */
          channels: z
            .array(z.string().regex(/^[A-Za-z0-9_.@+*#-]{1,64}$/, 'a number or channel name'))
            .default([]),
          /** Time allowed for the integrator's answer. */
          timeoutMs: z.number().int().min(100).max(60000).default(5000),
          /** Longest answer forwarded (bytes); a longer one is cut. */
          maxBytes: z.number().int().min(16).max(65536).default(1024),
        })
        .prefault({}),
      /** Record every answered call under `recordings` (the call log's `recordVoice`). */
      recordCalls: z.boolean().default(false),
      /** Seconds an extension is rung by click-to-dial and the control API before giving up. */
      ringSec: z.number().int().min(5).max(300).default(30),
    })
    .prefault({}),
  calls: z
    .strictObject({
      /** Time given to live calls to finish on SIGTERM before they are cut. */
      drainDeadlineMs: z.number().int().min(0).max(3600000).default(30000),
      /** Trace events kept per call; later events are counted, not stored. */
      maxTraceEvents: z.number().int().min(10).max(100000).default(5000),
      /** Steps one session may run before it is stopped (guards against goto loops). */
      maxSteps: z.number().int().min(10).max(1000000).default(10000),
    })
    .prefault({}),
  tts: z
    .strictObject({
      /** espeak-ng voice for `<tns:tts>` without a voice and for previews (`cmn` also reads Latin text). */
      voice: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_+-]{0,63}$/, 'an espeak-ng voice name')
        .default('cmn'),
      /** Who speaks: `espeak` (espeak-ng on this machine) or `http` (the provider at `http.url`). */
      engine: z.enum(['espeak', 'http']).default('espeak'),
      /** An HTTP TTS provider (engine `http`); its URL goes through the `check` URL policy. */
      http: z
        .strictObject({
          /** `{text}` and `{voice}` are replaced by the URL-encoded text and voice; the answer is a WAV file. */
          url: z
            .url({ protocol: /^https?$/, error: 'an http:// or https:// URL' })
            .refine((u) => u.includes('{text}') || u.includes('%7Btext%7D'), 'the URL must contain {text}')
            .optional(),
          timeoutMs: z.number().int().min(100).max(120000).default(15000),
          maxBytes: z
            .number()
            .int()
            .min(1024)
            .max(64 * 1024 * 1024)
            .default(8 * 1024 * 1024),
          /** Headers sent with every request (a provider's API key). */
          headers: z.record(z.string().regex(/^[A-Za-z0-9-]{1,64}$/), z.string().max(4096)).default({}),
        })
        .prefault({}),
      /** Where synthesised speech is kept (8 kHz µ-law WAVs); default `tts-cache` beside the store file. */
      cacheDir: z.string().min(1).optional(),
    })
    .refine((t) => t.engine !== 'http' || t.http.url !== undefined, {
      message: 'engine http needs tts.http.url',
      path: ['http', 'url'],
    })
    .prefault({}),
  dialer: dialerSchema,
  demo: z
    .strictObject({
      /** Port of the examples backend that `ivr demo` starts for the flows' check URLs. */
      backendPort: port.default(8080),
    })
    .prefault({}),
});

/** The validated configuration with every default filled in. */
export type Config = z.infer<typeof configSchema>;
/** What a config file or a caller may give: every key optional. */
export type ConfigInput = z.input<typeof configSchema>;
/** The dialer's settings with every default filled in. */
export type DialerConfig = Config['dialer'];
