// The WSDL 1.1 (document/literal, wrapped) of a service, generated from its ServiceSpec.
import type { Field, ServiceSpec } from './spec.ts';
import { escapeXml } from './xml.ts';

const typeRef = (f: Field) => (typeof f.type === 'string' ? `xsd:${f.type}` : `tns:${f.type.complex}`);

/** Every element may be absent or nil, as Java wrapper types (Integer, String, Date) are on the manual's server. */
const element = (f: Field, indent: string) =>
  `${indent}<xsd:element name="${f.name}" type="${typeRef(f)}" minOccurs="0"${
    f.array ? ' maxOccurs="unbounded"' : ''
  } nillable="true"/>`;

const sequence = (fields: Field[], indent: string) =>
  fields.length === 0
    ? `${indent}<xsd:sequence/>`
    : [
        `${indent}<xsd:sequence>`,
        ...fields.map((f) => element(f, `${indent}  `)),
        `${indent}</xsd:sequence>`,
      ].join('\n');

function schema(s: ServiceSpec): string {
  const lines = [`    <xsd:schema targetNamespace="${s.namespace}" elementFormDefault="qualified">`];
  for (const [name, fields] of Object.entries(s.types))
    lines.push(
      `      <xsd:complexType name="${name}">`,
      sequence(fields, '        '),
      '      </xsd:complexType>',
    );
  for (const op of s.operations) {
    for (const [name, fields] of [
      [op.name, op.params],
      [`${op.name}Response`, op.returns ? [{ ...op.returns, name: 'return' }] : []],
    ] as const)
      lines.push(
        `      <xsd:element name="${name}">`,
        '        <xsd:complexType>',
        sequence(fields, '          '),
        '        </xsd:complexType>',
        '      </xsd:element>',
      );
  }
  lines.push('    </xsd:schema>');
  return lines.join('\n');
}

/** The WSDL with `location` (the service's absolute URL) as its SOAP address. */
export function wsdlOf(s: ServiceSpec, location: string): string {
  const ops = s.operations;
  const messages = ops.flatMap((op) => [
    `  <wsdl:message name="${op.name}Request"><wsdl:part name="parameters" element="tns:${op.name}"/></wsdl:message>`,
    `  <wsdl:message name="${op.name}Response"><wsdl:part name="parameters" element="tns:${op.name}Response"/></wsdl:message>`,
  ]);
  const portOps = ops.map(
    (op) =>
      `    <wsdl:operation name="${op.name}"><wsdl:input message="tns:${op.name}Request"/><wsdl:output message="tns:${op.name}Response"/></wsdl:operation>`,
  );
  const bindingOps = ops.map((op) =>
    [
      `    <wsdl:operation name="${op.name}">`,
      `      <soap:operation soapAction="${s.namespace}/${op.name}" style="document"/>`,
      '      <wsdl:input><soap:body use="literal"/></wsdl:input>',
      '      <wsdl:output><soap:body use="literal"/></wsdl:output>',
      '    </wsdl:operation>',
    ].join('\n'),
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<wsdl:definitions name="${s.name}" targetNamespace="${s.namespace}" xmlns:tns="${s.namespace}"`,
    '    xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/"',
    '    xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
    '  <wsdl:types>',
    schema(s),
    '  </wsdl:types>',
    ...messages,
    `  <wsdl:portType name="${s.name}PortType">`,
    ...portOps,
    '  </wsdl:portType>',
    `  <wsdl:binding name="${s.name}SoapBinding" type="tns:${s.name}PortType">`,
    '    <soap:binding style="document" transport="http://schemas.xmlsoap.org/soap/http"/>',
    ...bindingOps,
    '  </wsdl:binding>',
    `  <wsdl:service name="${s.name}">`,
    `    <wsdl:port name="${s.name}HttpPort" binding="tns:${s.name}SoapBinding">`,
    `      <soap:address location="${escapeXml(location)}"/>`,
    '    </wsdl:port>',
    '  </wsdl:service>',
    '</wsdl:definitions>',
    '',
  ].join('\n');
}
