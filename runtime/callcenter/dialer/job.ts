// What a dialer task's call does once answered, as stored with the task (JSON): a CAPTCHA playback (manual
// section 3), an IVR run with TTS variables (section 18) or a text read by TTS (section 26's TextToCallService).
import { z } from 'zod';

export const captchaJob = z.strictObject({
  kind: z.literal('captcha'),
  /** The voice file played first (section 24's tone id). */
  toneid: z.string(),
  /** Digits spoken after the tone; empty when the request had none. */
  code: z.string(),
  /** How many times tone and code are played. */
  playtimes: z.number().int(),
  /** Extension or group that takes the call after the playback; absent: hang up. */
  extnum: z.string().optional(),
  /** Customers kept dialled while every agent of `extnum` is busy. */
  precallcount: z.number().int(),
  /** CLICK_TO_FIXEDLINE_CAPTCHA: the lead-in loops until a key when the line reports no answer. */
  fixedLine: z.boolean(),
});

export const ivrTtsJob = z.strictObject({
  kind: z.literal('ivr-tts'),
  /** The IVR (section 18's `toneid`): a routed number or a flow id. */
  ivr: z.string(),
  /** Every `tts*` parameter of the request, by its full name. */
  vars: z.record(z.string(), z.string()),
});

export const textJob = z.strictObject({
  kind: z.literal('text'),
  /** What the customer hears, read by the runtime's TTS. */
  content: z.string(),
});

export const job = z.discriminatedUnion('kind', [captchaJob, ivrTtsJob, textJob]);

export type CaptchaJob = z.infer<typeof captchaJob>;
export type IvrTtsJob = z.infer<typeof ivrTtsJob>;
export type TextJob = z.infer<typeof textJob>;
export type Job = z.infer<typeof job>;

/** The job of a stored task, or undefined when the text is not one (a task written by a newer runtime). */
export function parseJob(text: string): Job | undefined {
  try {
    const r = job.safeParse(JSON.parse(text));
    return r.success ? r.data : undefined;
  } catch {
    return undefined;
  }
}
