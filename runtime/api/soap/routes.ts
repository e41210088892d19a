// `/bridge/services/<Name>` (manual sections 25, 27, 28): `?wsdl` answers the WSDL, a POSTed envelope runs its
// operation; every refusal is a SOAP fault carrying the manual's code.
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from '../../log.ts';
import { readArgs } from './args.ts';
import {
  contentType,
  faultEnvelope,
  MAX_ENVELOPE_BYTES,
  parseEnvelope,
  responseEnvelope,
  type SoapVersion,
} from './envelope.ts';
import { SoapFault, type ServiceSpec } from './spec.ts';
import { wsdlOf } from './wsdl.ts';
import { valueXml } from './xml.ts';

/** The request asks for the WSDL: `?wsdl` in any case, with or without a value. */
const wantsWsdl = (c: Context) => /(^|&)wsdl(=|&|$)/i.test(new URL(c.req.url).search.slice(1));

/** SOAP 1.2 announces itself in the content type; anything else is answered as 1.1 until the envelope says. */
const versionOf = (c: Context): SoapVersion =>
  (c.req.header('content-type') ?? '').includes('application/soap+xml') ? '1.2' : '1.1';

function reply(c: Context, v: SoapVersion, xml: string, status: 200 | 500): Response {
  c.header('Content-Type', contentType(v));
  c.header('Cache-Control', 'no-store');
  return c.body(xml, status);
}

const sendFault = (c: Context, v: SoapVersion, f: SoapFault) => reply(c, v, faultEnvelope(v, f), 500);

async function run(c: Context, spec: ServiceSpec, log: Logger): Promise<Response> {
  let version = versionOf(c);
  try {
    const req = parseEnvelope(await c.req.text());
    version = req.version;
    const op = spec.operations.find((o) => o.name === req.operation);
    if (!op || (req.namespace !== undefined && req.namespace !== spec.namespace))
      throw new SoapFault(400, `unknown operation {${req.namespace ?? ''}}${req.operation}`);
    const result = await op.handler(readArgs(op.params, req.params));
    const inner = op.returns ? valueXml(spec, { ...op.returns, name: 'return' }, result) : '';
    return reply(c, version, responseEnvelope(version, spec.namespace, op.name, inner), 200);
  } catch (err) {
    if (err instanceof SoapFault) return sendFault(c, version, err);
    log.error({ err, service: spec.name }, 'soap operation failed');
    return sendFault(c, version, new SoapFault(500, 'internal error'));
  }
}

export function soapRoutes(services: ServiceSpec[], log: Logger): Hono {
  const app = new Hono();
  for (const spec of services) {
    const path = `/bridge/services/${spec.name}`;
    app.get(path, (c) => {
      if (!wantsWsdl(c))
        return sendFault(c, '1.1', new SoapFault(405, 'POST a SOAP envelope; the WSDL is at ?wsdl'));
      const location = `${new URL(c.req.url).origin}${path}`;
      c.header('Content-Type', 'text/xml; charset=utf-8');
      c.header('Cache-Control', 'no-store');
      return c.body(wsdlOf(spec, location), 200);
    });
    app.post(
      path,
      bodyLimit({
        maxSize: MAX_ENVELOPE_BYTES,
        onError: (c) =>
          sendFault(c, versionOf(c), new SoapFault(413, `envelope larger than ${MAX_ENVELOPE_BYTES} bytes`)),
      }),
      (c) => run(c, spec, log),
    );
  }
  return app;
}
