// Records answered calls (callCenter.recordCalls): from the moment the customer talks with an agent, both
// directions of the customer's leg into `<recordings>/<yyyy-MM-dd>/<callid>.wav`, listed as the call log's
// recordVoice. IVR time (and voicemail) is not recorded: the conversation is.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log.ts';
import type { ConfinedRoot } from '../files/confined-root.ts';
import type { CallRegistry } from './calls/registry.ts';
import type { Call } from './calls/call.ts';

/** Longest recording of one call (a stuck call must not fill the disk). */
const MAX_SECONDS = 4 * 3600;

const day = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** The recording's name in the root: the day the call began and the call id, made safe as a file name. */
export function recordingName(call: Pick<Call, 'callId' | 'beganAt'>): string {
  return `${day(call.beganAt)}/${call.callId.replace(/[^A-Za-z0-9._-]/g, '_')}.wav`;
}

export function recordCalls(registry: CallRegistry, root: ConfinedRoot, log: Logger): () => void {
  return registry.bus.on('leg.changed', ({ call: view, leg }) => {
    // Whichever of the two answers last starts it: the agent (a transfer) or the customer (click-to-dial).
    if ((leg.role !== 'agent' && leg.role !== 'customer') || leg.status !== 'talking') return;
    const call = registry.get(view.callId);
    const customer = call?.customer;
    if (!call || call.recording !== undefined || customer?.status !== 'talking' || !customer.media) return;
    if (!call.legsOf('agent').some((a) => a.status === 'talking')) return;
    const path = root.pathOf(recordingName(call));
    if (!path) return;
    call.recording = path;
    const media = customer.media;
    void mkdir(dirname(path), { recursive: true })
      .then(() => media.record({ path, mix: 'both', maxSeconds: MAX_SECONDS, signal: call.abort.signal }))
      .catch((err: unknown) => {
        log.warn({ err, callId: call.callId }, 'cannot record the call');
        if (call.recording === path) call.recording = undefined;
      });
  });
}
