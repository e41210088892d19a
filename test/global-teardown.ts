// After the whole run: a baresip phone whose test worker died before stopping it (a worker killed on a timeout
// runs no exit handler) is left with PID 1 as its parent. Those orphans, and only those, are killed here, so a
// run never leaves a phone registered behind it.
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

function orphanedPhones(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [comm, rest] = [
        stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
        stat.slice(stat.lastIndexOf(')') + 2),
      ];
      const ppid = Number(rest.split(' ')[1]);
      if (comm !== 'baresip' || ppid !== 1) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      // The tests' phones (calls/baresip.ts, media/tone-peer.ts) keep their configuration in a temporary folder.
      if (cmdline.startsWith(`baresip\0-f\0${tmpdir()}/`)) pids.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return pids;
}

export function teardown(): void {
  for (const pid of orphanedPhones()) {
    try {
      process.kill(pid, 'SIGKILL');
      process.stderr.write(`[teardown] killed orphaned baresip ${pid}\n`);
    } catch {
      // Already gone.
    }
  }
}
