// How a SOAP service is described once (types, operations, handlers): the WSDL, the request reading and the answer
// are all derived from this, so they cannot disagree (as bridge/catalog.ts does for the HTTP opts).

/** The XML Schema types the manual's Java signatures map to. */
export type XsdType = 'string' | 'int' | 'long' | 'boolean' | 'dateTime' | 'base64Binary';

export interface Field {
  name: string;
  /** A simple type, or the name of a complex type of the service. */
  type: XsdType | { complex: string };
  /** Repeated (a Java array): `maxOccurs="unbounded"`. */
  array?: boolean;
}

/** A parameter's value as read from a request (undefined: absent or `xsi:nil`). */
export type Value = string | number | boolean | Date | undefined;
export type Args = Record<string, Value>;

export interface Operation {
  name: string;
  params: Field[];
  /** The `return` element; absent for `void` operations. */
  returns?: Field;
  handler: (args: Args) => Promise<unknown>;
}

export interface ServiceSpec {
  /** The manual's service name: `/bridge/services/<name>`. */
  name: string;
  namespace: string;
  /** Complex types by name, fields in order. */
  types: Record<string, Field[]>;
  operations: Operation[];
}

/** Every service's target namespace: the manual prints none, so one is chosen per service (decisions.md). */
export const namespaceOf = (service: string) => `http://switchboard-ivr.org/bridge/services/${service}`;

/** A refusal in the manual's codes (400 bad parameter, 404 unknown id…), sent as a SOAP fault. */
export class SoapFault extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    /** Client: the request is wrong; Server: it could not be done. */
    readonly side: 'Client' | 'Server' = code >= 500 ? 'Server' : 'Client',
  ) {
    super(`${code} ${reason}`);
  }
}
