// A request's parameters read against the operation's fields: each converted to its XML Schema type or refused.
import { SoapFault, type Args, type Field, type Value } from './spec.ts';

const MAX_TEXT = 4096;
const INT = /^[+-]?\d{1,10}$/;
const LONG = /^[+-]?\d{1,18}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function convert(f: Field, text: string): Value {
  const bad = (what: string) => new SoapFault(400, `bad parameter ${f.name}: ${what}`);
  switch (f.type) {
    case 'int': {
      const n = Number(text);
      if (!INT.test(text) || n < -2147483648 || n > 2147483647) throw bad('not an int');
      return n;
    }
    case 'long':
      if (!LONG.test(text)) throw bad('not a long');
      return Number(text);
    case 'boolean':
      if (!/^(true|false|1|0)$/.test(text)) throw bad('not a boolean');
      return text === 'true' || text === '1';
    case 'dateTime': {
      // A date-time without an offset is the server's local time (as Java's Date of the manual's server).
      const t = DATE_TIME.test(text) ? new Date(text.length === 10 ? `${text}T00:00:00` : text) : undefined;
      if (!t || Number.isNaN(t.getTime())) throw bad('not an xsd:dateTime');
      return t;
    }
    case 'string':
      if (text.length > MAX_TEXT) throw bad(`longer than ${MAX_TEXT} characters`);
      return text;
    default:
      throw bad('complex parameters are not accepted');
  }
}

/** Reads every field of `params`; an element the operation does not have is refused (a typo must not pass). */
export function readArgs(fields: Field[], params: Map<string, string | undefined>): Args {
  const known = new Set(fields.map((f) => f.name));
  for (const name of params.keys())
    if (!known.has(name)) throw new SoapFault(400, `unknown parameter ${name}`);
  const args: Args = {};
  for (const f of fields) {
    const text = params.get(f.name);
    args[f.name] = text === undefined ? undefined : convert(f, text.trim());
  }
  return args;
}

/** A parameter the operation cannot do without. */
export function required<T extends Value>(args: Args, name: string): NonNullable<T> {
  const v = args[name];
  if (v === undefined || v === '') throw new SoapFault(400, `missing parameter ${name}`);
  return v as NonNullable<T>;
}
