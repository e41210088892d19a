// Checks a FreeSWITCH event socket before drachtio-fsmrf connects to it: fsmrf waits forever on a wrong password,
// retries a closed port forever and throws out of a callback when the SIP profile is missing. The probe turns each
// of those into one clear error at start: it connects, authenticates and asks `sofia status` for the profile.
// `eventSocketApi` is that one exchange for any `api` command.
import { connect, type Socket } from 'node:net';

export interface ProbeTarget extends EventSocketTarget {
  /** The sofia profile that must exist (drachtio-fsmrf's default: `drachtio_mrf`). */
  profile: string;
}

interface Message {
  headers: Map<string, string>;
  body: string;
}

/** Reads event-socket messages (headers, a blank line, then Content-Length bytes of body) off a socket. */
class MessageReader {
  private buffer = Buffer.alloc(0);
  private waiting?: (m: Message) => void;
  private readonly ready: Message[] = [];

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
  }

  next(): Promise<Message> {
    const m = this.ready.shift();
    if (m) return Promise.resolve(m);
    return new Promise((resolve) => (this.waiting = resolve));
  }

  private parse(): void {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end < 0) return;
      const headers = new Map<string, string>();
      for (const line of this.buffer.subarray(0, end).toString('utf8').split('\n')) {
        const colon = line.indexOf(':');
        if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
      }
      const length = Number(headers.get('content-length') ?? 0);
      if (this.buffer.length < end + 2 + length) return;
      const body = this.buffer.subarray(end + 2, end + 2 + length).toString('utf8');
      this.buffer = this.buffer.subarray(end + 2 + length);
      const message = { headers, body };
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting) waiting(message);
      else this.ready.push(message);
    }
  }
}

/** Where an event socket listens and its password. */
export interface EventSocketTarget {
  address: string;
  port: number;
  secret: string;
}

/** Resolves when the event socket takes `secret` and knows `profile`; rejects with why not (within `timeoutMs`). */
export async function probeEventSocket(target: ProbeTarget, timeoutMs: number): Promise<void> {
  const status = await eventSocketApi(target, 'sofia status', timeoutMs);
  const known = status.split('\n').some((line) => line.trim().split(/\s+/)[0] === target.profile);
  if (!known) throw new Error(`FreeSWITCH has no sofia profile "${target.profile}" (deploy/freeswitch)`);
}

/**
 * Connects, authenticates and runs one `api` command; resolves with its answer's body, or rejects with why not
 * (refused address, wrong password, not an event socket, closed, or nothing within `timeoutMs`).
 */
export async function eventSocketApi(
  target: EventSocketTarget,
  command: string,
  timeoutMs: number,
): Promise<string> {
  const socket = connect({ host: target.address, port: target.port });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const failed = new Promise<never>((_, reject) => {
    socket.once('error', (err) => reject(err));
    socket.once('close', () => reject(new Error('the event socket closed the connection')));
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  failed.catch(() => undefined);
  try {
    return await Promise.race([talk(socket, target, command), failed]);
  } finally {
    clearTimeout(timer);
    socket.removeAllListeners('close');
    socket.on('error', () => undefined);
    socket.destroy();
  }
}

async function talk(socket: Socket, target: EventSocketTarget, command: string): Promise<string> {
  const reader = new MessageReader(socket);
  const greeting = await reader.next();
  const type = greeting.headers.get('content-type');
  if (type === 'text/rude-rejection') throw new Error('the event socket refused this address (its ACL)');
  if (type !== 'auth/request') throw new Error(`not a FreeSWITCH event socket (it said ${String(type)})`);
  socket.write(`auth ${target.secret}\n\n`);
  const auth = await reader.next();
  if (!auth.headers.get('reply-text')?.startsWith('+OK')) {
    throw new Error('the event socket refused the password');
  }
  socket.write(`api ${command}\n\n`);
  const answer = await reader.next();
  socket.write('exit\n\n');
  return answer.body;
}
