// <tns:hangup/> (extension): ends the call.
import type { Hangup } from '../../../schema/ast.ts';
import type { ElementHandler } from '../context.ts';

export const hangup: ElementHandler<Hangup> = async () => ({ kind: 'end', reason: 'hangup' });
