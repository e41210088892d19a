// The dialer's customers for live tests and the campaign bench: one sipp UAS behind the trunk that answers every
// number by its first digits (486… busy, 404… no such number, 480… unreachable, 408… never answers, any other
// answers and presses keys), and what it was sent, read back from its message trace.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeMediaPort, freeUdpPort } from '../../media/embedded/sip/peers.ts';
import { writeDigitsPcap } from '../../calls/pcap.ts';
import { tempDir } from '../../calls/harness.ts';

const SCENARIO = join(import.meta.dirname, 'fixtures/sipp/uas_customers.xml');

/** Numbers the customers treat as such: a prefix and any digits after it. */
export const BUSY = '486';
export const NO_SUCH_NUMBER = '404';
export const UNREACHABLE = '480';
export const NEVER_ANSWERS = '408';

export interface Customers {
  /** sipp's SIP port: point `sip.trunk` here. */
  port: number;
  /** sipp's process id (the campaign bench reads its CPU time). */
  pid: number;
  /** Every INVITE sipp received (retransmissions not counted), as the dialled numbers, in order. */
  dialled(): string[];
  /** The same INVITEs with the time sipp received each (ms since the epoch, this machine's clock). */
  invites(): { user: string; at: number }[];
  /** Kills sipp and removes its folder. */
  stop(): Promise<void>;
}

export interface CustomerOptions {
  /** Keys an answering customer presses (RFC 4733). */
  keys: string;
  /** Ms after the answer before the keys. */
  keysAfterMs?: number;
}

/** Starts the customers; `stop()` kills sipp (it serves calls until then). */
export async function startCustomers(opts: CustomerOptions): Promise<Customers> {
  const dir = tempDir('dialer-customers-');
  writeDigitsPcap(join(dir, 'keys.pcap'), opts.keys, { everyMs: 300 });
  const text = readFileSync(SCENARIO, 'utf8')
    .replaceAll('{{DIR}}', dir)
    .replaceAll('{{KEYS_AFTER}}', String(opts.keysAfterMs ?? 1500));
  const scenario = join(dir, 'uas_customers.xml');
  writeFileSync(scenario, text);
  const [port, mp] = [await freeUdpPort(), await freeMediaPort()];
  const messages = join(dir, 'messages.log');
  const args = ['-sf', scenario, '-p', String(port), '-i', '127.0.0.1', '-mi', '127.0.0.1'];
  args.push('-mp', String(mp), '-t', 'u1', '-nostdin', '-trace_msg', '-message_file', messages);
  // Many calls at once (the campaign bench holds 50), each its own RTP port pair.
  args.push('-max_socket', '4096', '-l', '5000');
  const child = spawn('sipp', args, { cwd: dir, stdio: ['ignore', 'ignore', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    pid: child.pid!,
    dialled: () => invitesIn(messages).map((i) => i.user),
    invites: () => invitesIn(messages),
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every INVITE in a sipp message trace, one per Call-ID (retransmissions dropped): its user and arrival time. */
function invitesIn(file: string): { user: string; at: number }[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const out: { user: string; at: number }[] = [];
  let at = NaN;
  let user: string | undefined;
  for (const line of text.split('\n')) {
    const stamp = /^-{20,} (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}\.\d+)$/.exec(line);
    if (stamp) at = new Date(`${stamp[1]}T${stamp[2].slice(0, 12)}`).getTime();
    const invite = /^INVITE sip:([^@;>]+)@/.exec(line);
    if (invite) user = invite[1];
    const callId = /^Call-ID:\s*(\S+)/i.exec(line);
    if (callId && user !== undefined) {
      if (!seen.has(callId[1])) {
        seen.add(callId[1]);
        out.push({ user, at });
      }
      user = undefined;
    }
  }
  return out;
}
