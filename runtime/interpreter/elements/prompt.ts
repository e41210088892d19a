// <tns:prompt> as a step of a form: plays max(repeat, 1) times; a barge-in key stops it (and is dropped).
import type { Prompt } from '../../../schema/ast.ts';
import type { ElementHandler } from '../context.ts';
import { playOnly } from '../playback.ts';

export const prompt: ElementHandler<Prompt> = (ctx, item, path) => playOnly(ctx, [{ prompt: item, path }]);
