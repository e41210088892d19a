// The runtime's structured logger (pino, JSON lines) and the per-call child logger that tags every line with callId.
import { pino, type Logger } from 'pino';

export type { Logger };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The process logger; JSON lines on stderr so stdout stays free for command output (`ivr demo` banner). */
export function createLogger(
  level: LogLevel = 'info',
  destination: NodeJS.WritableStream = process.stderr,
): Logger {
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}

/** The logger of one call: every line carries its callId, the key shared with call logs and traces. */
export function callLogger(parent: Logger, callId: string): Logger {
  return parent.child({ callId });
}
