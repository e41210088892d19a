// XML text helpers for the SOAP answers: escaping, and the XML Schema text of each value type.
import type { Field, ServiceSpec } from './spec.ts';

export const escapeXml = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[ch]!,
  );

// Characters XML 1.0 cannot carry at all (even escaped): dropped from text rather than making the answer unparsable.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** `xsd:dateTime` in the server's time zone with its offset (`2026-12-02T18:27:47.375+08:00`). */
export function xsdDateTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const zone = `${sign}${two(Math.floor(Math.abs(off) / 60))}:${two(Math.abs(off) % 60)}`;
  return (
    `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:` +
    `${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}${zone}`
  );
}

function simpleText(type: string, v: unknown): string {
  if (type === 'dateTime') return xsdDateTime(v instanceof Date ? v.getTime() : Number(v));
  if (type === 'base64Binary') return Buffer.from(v as Uint8Array).toString('base64');
  if (type === 'boolean') return v ? 'true' : 'false';
  return escapeXml(String(v).replace(NOT_XML, ''));
}

/** One element (or one per item of an array) of `field` holding `value`, in the service's namespace (`tns:`). */
export function valueXml(s: ServiceSpec, field: Field, value: unknown): string {
  if (field.array) {
    const items = Array.isArray(value) ? (value as unknown[]) : [];
    return items.map((v) => valueXml(s, { ...field, array: false }, v)).join('');
  }
  const tag = `tns:${field.name}`;
  if (value === undefined || value === null) return `<${tag} xsi:nil="true"/>`;
  if (typeof field.type === 'string') return `<${tag}>${simpleText(field.type, value)}</${tag}>`;
  const fields = s.types[field.type.complex] ?? [];
  const rec = value as Record<string, unknown>;
  return `<${tag}>${fields.map((f) => valueXml(s, f, rec[f.name])).join('')}</${tag}>`;
}
