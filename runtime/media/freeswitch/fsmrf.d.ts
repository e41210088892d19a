// The part of drachtio-fsmrf 4.1.2 (plain JavaScript, no types of its own) that the FreeSWITCH engine uses.
declare module 'drachtio-fsmrf' {
  import type { EventEmitter } from 'node:events';
  import type Srf from 'drachtio-srf';

  namespace Mrf {
    interface ConnectOptions {
      address: string;
      port?: number;
      secret?: string;
      /** Where this process listens for FreeSWITCH's outbound event-socket connections (one per endpoint). */
      listenAddress?: string;
      listenPort?: number;
      advertisedAddress?: string;
      advertisedPort?: number;
      profile?: string;
    }

    /** An ESL event as drachtio-modesl gives it. */
    interface EslEvent {
      getHeader(name: string): string | undefined;
      getBody(): string;
    }

    interface DtmfArgs {
      dtmf: string;
      duration?: string;
      source?: string;
    }

    class Endpoint extends EventEmitter {
      readonly uuid: string;
      readonly local: { sdp: string };
      readonly remote: { sdp: string };
      readonly sip: { callId?: string };
      readonly dialog: Srf.Dialog;
      readonly connected: boolean;
      readonly mediaserver: MediaServer;
      execute(app: string, arg?: string): Promise<EslEvent>;
      modify(sdp: string): Promise<string>;
      join(
        conf: string,
        opts?: { profile?: string; flags?: Record<string, boolean> },
      ): Promise<{
        memberId: number;
        confUuid: string;
      }>;
      destroy(): Promise<void>;
      on(event: 'dtmf', fn: (e: DtmfArgs) => void): this;
      on(event: 'destroy', fn: (e?: { reason?: string }) => void): this;
      on(event: 'playback-start' | 'playback-stop', fn: (e: { file?: string }) => void): this;
    }

    class MediaServer extends EventEmitter {
      readonly address: string;
      maxSessions: number;
      currentSessions: number;
      readonly sip: { ipv4: { udp: { address?: string } } };
      api(command: string): Promise<string>;
      createEndpoint(opts?: { headers?: Record<string, string>; remoteSdp?: string }): Promise<Endpoint>;
      connectCaller(
        req: Srf.SrfRequest,
        res: Srf.SrfResponse,
        opts?: { headers?: Record<string, string> },
      ): Promise<{ endpoint: Endpoint; dialog: Srf.Dialog }>;
      connected(): boolean;
      disconnect(): void;
      on(event: 'end' | 'ready', fn: () => void): this;
      on(event: 'error', fn: (err: Error) => void): this;
    }
  }

  class Mrf {
    constructor(srf: Srf, opts?: { customEvents?: string[] });
    connect(opts: Mrf.ConnectOptions): Promise<Mrf.MediaServer>;
  }

  export = Mrf;
}
