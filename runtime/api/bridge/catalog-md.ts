// docs/api-bridge.md from the catalog: one section per opt with its parameters, answers and the manual's example.
import { OPTS } from './catalog.ts';

const INTRO = `# The manual's call-control API (\`/bridge/callctrl\`)

Generated from \`runtime/api/bridge/catalog.ts\` by \`npm run docs:api\` (a test fails when this file is stale).

Every opt answers the code as plain text, with a short English reason on a second line; the HTTP status is the code
when it is a final HTTP status (200–599), else 200 with the code in the body (CALL_THIRD_GET_THIRD_STATE's 100, 180
and 603). Parameters come from the query string (or a form POST body); the manual's URLs work literally, including
the doubled \`/bridge/callctrl?/bridge/callctrl?…\` of sections 15–17 and the empty \`&&\` of section 8. An unknown
\`opt\` answers 400. Authentication: loopback clients pass (unless \`auth.loopbackOpen\` is off), other clients send
\`Authorization: Bearer <key>\` or come from an address in \`auth.trustedClients\` (the manual's \`authtype=no\`
clients); otherwise 401. Requests a browser on another site makes are refused (403, see docs/security.md).

Try one against \`npm start\`:

\`\`\`sh
curl 'http://127.0.0.1:12121/bridge/callctrl?extnum=801&state=reducing&&opt=SET_EXT_PRESENCE_STATE'
\`\`\`
`;

export function catalogMarkdown(): string {
  const sections = OPTS.map((o) => {
    const params = o.params
      .map((p) => `| \`${p.name}\` | ${p.required ? 'yes' : 'no'} | ${p.description} | ${p.example ?? ''} |`)
      .join('\n');
    const codes = Object.entries(o.codes)
      .map(([code, meaning]) => `| ${code} | ${meaning} |`)
      .join('\n');
    const body = o.body ? `\nOn success the body is: \`${o.body}\`.\n` : '';
    return `## ${o.opt} (manual section ${o.section})

${o.summary}

| parameter | required | meaning | example |
|---|---|---|---|
${params}

| code | meaning |
|---|---|
${codes}
${body}
\`\`\`sh
curl 'http://127.0.0.1:12121${o.example}'
\`\`\`
`;
  });
  return `${INTRO}\n${sections.join('\n')}`;
}
