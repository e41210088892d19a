// A conference mix that runs in the media worker: the main thread keeps each port's mode and whisper target and
// tells the worker when they change.
import type { MixMode } from '../rtp/mixer.ts';
import type { MediaWorker } from './host.ts';

export class RemoteMixerPort {
  private currentMode: MixMode = 'speak';
  private target: RemoteMixerPort | undefined;

  constructor(
    private readonly host: MediaWorker,
    readonly mixer: RemoteMixer,
    readonly id: number,
  ) {}

  get mode(): MixMode {
    return this.currentMode;
  }

  set mode(mode: MixMode) {
    this.currentMode = mode;
    this.sync();
  }

  get to(): RemoteMixerPort | undefined {
    return this.target;
  }

  set to(port: RemoteMixerPort | undefined) {
    this.target = port;
    this.sync();
  }

  private sync(): void {
    this.host.post({ op: 'port.set', port: this.id, mode: this.currentMode, to: this.target?.id });
  }
}

export class RemoteMixer {
  constructor(
    private readonly host: MediaWorker,
    readonly id: number,
  ) {}

  add(): RemoteMixerPort {
    const port = new RemoteMixerPort(this.host, this, this.host.nextId());
    this.host.post({ op: 'mixer.add', mixer: this.id, port: port.id });
    return port;
  }

  remove(port: RemoteMixerPort): void {
    this.host.post({ op: 'mixer.remove', mixer: this.id, port: port.id });
  }
}
