// Who may call what (SIP trust): an INVITE that claims an extension must prove it; one that would reach an
// extension, a group or the trunk needs an authenticated extension; anyone may call a number routed to an IVR;
// any other number is refused at once (404, no ringing).
import type { Admission, IncomingRequest } from '../media/contract.ts';
import type { Directory } from './extensions/directory.ts';

export interface AdmissionDeps {
  directory: Pick<Directory, 'isExtension' | 'isGroup'>;
  isRouted: (number: string) => boolean;
  /** True when calls to other numbers can go out through a trunk. */
  hasTrunk: boolean;
}

export function admissionPolicy(d: AdmissionDeps): (req: IncomingRequest) => Admission {
  return (req) => {
    const proven = req.authenticatedAs;
    // A phone that says it is an extension must be that extension (no calls "as 801" from anyone).
    if (d.directory.isExtension(req.from) && proven !== req.from)
      return proven
        ? { action: 'reject', status: 403, reason: `not extension ${req.from}` }
        : { action: 'challenge' };
    if (d.isRouted(req.to)) return { action: 'accept' };
    const internal = d.directory.isExtension(req.to) || d.directory.isGroup(req.to);
    if (!internal && !d.hasTrunk) return { action: 'reject', status: 404, reason: 'no such number' };
    return proven ? { action: 'accept' } : { action: 'challenge' };
  };
}
