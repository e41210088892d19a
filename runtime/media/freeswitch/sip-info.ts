// Keys sent as SIP INFO reach the runtime, not FreeSWITCH: drachtio-server delivers them on the caller's dialog.
// Same rules as the embedded engine: `application/dtmf-relay` (`Signal=5`) and `application/dtmf` (`5`).

/** The status to answer an INFO with, and the key it carried (if any). */
export function infoDigit(contentType: string | undefined, body: string): { status: number; digit?: string } {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  let digit: string | undefined;
  if (type === 'application/dtmf-relay') digit = /^\s*signal\s*=\s*(\S)/im.exec(body)?.[1];
  else if (type === 'application/dtmf') digit = body.trim()[0];
  else if (body.length === 0)
    return { status: 200 }; // a keep-alive INFO
  else return { status: 415 };
  if (!digit || !/^[0-9*#A-Da-d]$/.test(digit)) return { status: 400 };
  return { status: 200, digit: digit.toUpperCase() };
}
