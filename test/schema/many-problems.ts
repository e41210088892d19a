// Documents with far more problems than any report lists (shared by the schema, API, CLI and designer tests).

/**
 * The outside tester's document: one form with `count` attributes the dialect does not have (each an
 * `E_UNKNOWN_ATTR`), 17 bytes each, so 30 000 of them make about half a megabyte (510 kB).
 */
export function unknownAttributes(count: number): string {
  const attrs: string[] = [];
  for (let i = 0; i < count; i++) attrs.push(`unknown${String(i).padStart(5, '0')}="1"`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main" ${attrs.join(' ')}>
    <tns:hangup/>
  </tns:form>
</tns:vxml>
`;
}

/** A well-formed document with `count` gotos to forms that do not exist (each an `E_GOTO_TARGET`). */
export function missingTargets(count: number): string {
  const gotos: string[] = [];
  for (let i = 0; i < count; i++)
    gotos.push(`    <tns:if cond="input == '${i}'"><tns:goto next="#f${i}"/></tns:if>`);
  return `<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
${gotos.join('\n')}
    <tns:hangup/>
  </tns:form>
</tns:vxml>
`;
}
