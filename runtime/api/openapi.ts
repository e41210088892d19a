// GET /openapi.json: an OpenAPI 3.1 document of every HTTP endpoint, the manual's opts generated from the catalog.
import { Hono } from 'hono';
import { OPTS, type OptDoc } from './bridge/catalog.ts';

type Operation = Record<string, unknown>;

const text = (description: string) => ({
  description,
  content: { 'text/plain': { schema: { type: 'string' } } },
});
const json = (description: string) => ({ description, content: { 'application/json': { schema: {} } } });

/** One row per opt: its parameters and codes, for the callctrl operation's description. */
function optTable(opts: OptDoc[]): string {
  const rows = opts.map((o) => {
    const params = o.params.map((p) => (p.required ? `\`${p.name}\`` : `[\`${p.name}\`]`)).join(', ');
    const codes = Object.keys(o.codes).join(', ');
    return `| \`${o.opt}\` | ${o.section} | ${params} | ${codes} | ${o.summary} |`;
  });
  return ['| opt | § | parameters | codes | what it does |', '|---|---|---|---|---|', ...rows].join('\n');
}

function callctrl(): Operation {
  const names = new Map<string, string>();
  for (const o of OPTS) for (const p of o.params) if (!names.has(p.name)) names.set(p.name, p.description);
  return {
    summary: "The manual's call control: one endpoint, the operation in `opt`.",
    description:
      'Answers are the code as plain text with a short reason on a second line; the HTTP status is the code when it ' +
      "is a final HTTP status, else 200 (CALL_THIRD_GET_THIRD_STATE 100/180/603). The manual's URLs work literally, " +
      'including a doubled `/bridge/callctrl?/bridge/callctrl?…` and empty `&&` pairs. POST with a form body is ' +
      `accepted too.\n\n${optTable(OPTS)}`,
    parameters: [
      { name: 'opt', in: 'query', required: true, schema: { type: 'string', enum: OPTS.map((o) => o.opt) } },
      ...[...names].map(([name, description]) => ({
        name,
        in: 'query',
        required: false,
        description,
        schema: { type: 'string' },
      })),
    ],
    responses: {
      200: text('success (or a documented body: clickcallid, JSON call logs, a third-party state)'),
      400: text('unknown opt, or a missing or malformed parameter'),
      401: text('no credentials (not loopback, no key, not a trusted client)'),
      403: text('a cross-site request, or no monitor permission'),
      404: text('no such call, extension, conference or IVR'),
    },
    'x-opts': OPTS,
  };
}

const API: Record<string, Record<string, Operation>> = {
  '/healthz': {
    get: { summary: 'Liveness and calls in progress (no authentication)', responses: { 200: json('ok') } },
  },
  '/bridge/jsoncfg': {
    get: {
      summary:
        'EXTNUM_STATE (manual section 14): every extension with telNum, userName, telRegState, phoneType, state, presence, missingCallCount and, in a call, remoteNum',
      parameters: [{ name: 'opt', in: 'query', required: true, schema: { const: 'EXTNUM_STATE' } }],
      responses: { 200: json('the JSON array'), 400: text('unknown opt') },
    },
  },
  '/Oms/FileDownServlet': {
    get: {
      summary:
        'A recording by callid, or by filename (the call log recordVoice or a voicemail path; only inside the recordings root)',
      parameters: ['callid', 'filename'].map((name) => ({ name, in: 'query', schema: { type: 'string' } })),
      responses: {
        200: { description: 'the WAV file', content: { 'audio/wav': {} } },
        404: text('no such recording'),
      },
    },
  },
  '/Oms/RecordPlayerSvlt': {
    get: {
      summary: 'A page that plays a recording (browsertype=other&callid=… or voiceFile=…)',
      parameters: ['browsertype', 'callid', 'voiceFile'].map((name) => ({
        name,
        in: 'query',
        schema: { type: 'string' },
      })),
      responses: {
        200: { description: 'HTML', content: { 'text/html': {} } },
        404: text('no such recording'),
      },
    },
  },
  ...servletPaths(),
  ...soapPaths(),
  '/api/calls': {
    get: { summary: 'Call logs, newest first (limit, offset)', responses: { 200: json('a page') } },
  },
  '/api/calls/{callid}': {
    get: { summary: 'One call log', responses: { 200: json('the call log'), 404: json('unknown') } },
  },
  '/api/calls/{callid}/trace': {
    get: { summary: "A call's trace events", responses: { 200: json('events'), 404: json('unknown') } },
  },
  '/api/flows': {
    get: { summary: 'Flows', responses: { 200: json('list') } },
    post: {
      summary: 'Create a flow (draft)',
      responses: { 201: json('id'), 400: json('bad'), 409: json('exists') },
    },
  },
  '/api/flows/{id}': {
    get: { summary: 'A flow draft', responses: { 200: json('the flow'), 404: json('unknown') } },
    put: {
      summary: 'Save the draft',
      responses: { 200: json('the flow'), 400: json('bad'), 404: json('unknown') },
    },
    delete: {
      summary: 'Delete the flow, its versions and routes',
      responses: { 204: { description: 'deleted' }, 404: json('unknown') },
    },
  },
  '/api/flows/{id}/publish': {
    post: {
      summary: 'Publish the draft as the next version',
      responses: { 201: json('version'), 422: json('errors') },
    },
  },
  '/api/flows/{id}/versions': { get: { summary: 'Published versions', responses: { 200: json('list') } } },
  '/api/flows/{id}/versions/{v}': {
    get: { summary: 'One version', responses: { 200: json('version'), 404: json('unknown') } },
  },
  '/api/flows/{id}/rollback': {
    post: { summary: 'Publish an older version again', responses: { 201: json('version') } },
  },
  '/api/routes': {
    get: { summary: 'Called number to flow', responses: { 200: json('routes') } },
    put: { summary: 'Replace every route', responses: { 200: json('routes'), 400: json('bad') } },
  },
  '/api/extensions': { get: { summary: 'Extensions (no passwords)', responses: { 200: json('list') } } },
  '/api/extensions/{number}': {
    put: {
      summary: 'Add or change an extension (applies at once)',
      responses: { 200: json('extension'), 400: json('bad'), 409: json('a group') },
    },
    delete: {
      summary: 'Delete an extension',
      responses: { 204: { description: 'deleted' }, 404: json('unknown') },
    },
  },
  '/api/groups': { get: { summary: 'Groups with their members', responses: { 200: json('list') } } },
  '/api/groups/{number}': {
    put: {
      summary: 'Add or change a group (queue)',
      responses: { 200: json('group'), 400: json('bad'), 409: json('an extension') },
    },
    delete: {
      summary: 'Delete a group (members stay)',
      responses: { 204: { description: 'deleted' }, 404: json('unknown') },
    },
  },
  '/api/sounds': {
    get: { summary: 'WAV files of the sound root', responses: { 200: json('list') } },
    post: {
      summary: 'Upload a WAV (converted to 8 kHz mono µ-law)',
      responses: { 201: json('path'), 400: json('not a WAV') },
    },
  },
  '/api/tts/preview': {
    get: { summary: 'Text to speech as WAV', responses: { 200: { description: 'audio/wav' } } },
  },
  '/api/stats/nodes': {
    get: { summary: "Per-form counts of one flow's calls", responses: { 200: json('counts') } },
  },
  '/api/live': {
    get: {
      summary: 'The call center as it changes (Server-Sent Events: snapshot, extension, call, call-ended)',
      responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': {} } } },
    },
  },
  '/api/sim': {
    get: {
      summary: 'WebSocket of the designer test call (see docs/api.md)',
      responses: { 101: { description: 'upgraded' } },
    },
  },
};

function query(...names: string[]) {
  return names.map((name) => ({ name, in: 'query', schema: { type: 'string' } }));
}

/** The manual's data servlets (sections 19, 20, 24) and the SMS gateway's endpoint (23). */
function servletPaths(): Record<string, Record<string, Operation>> {
  const imports = (summary: string): Operation => ({
    summary,
    parameters: query('data'),
    responses: {
      200: text('imported'),
      400: text('bad data'),
      413: text('body too large'),
      483: text('duplicate'),
    },
  });
  const sms: Operation = {
    summary: 'SMS gateway: an SMS received (telnum, contant, channel); the answer is the text to send back',
    parameters: query('telnum', 'contant', 'channel'),
    responses: {
      200: text('the reply'),
      204: { description: 'no reply' },
      400: text('bad'),
      404: text('no channel'),
    },
  };
  return {
    '/bridge/ContactsSrvlt': {
      get: imports('Import customer records (section 19), all or nothing'),
      post: imports('The same, data as a form field or a JSON body'),
    },
    '/bridge/PreorderSrvlt': {
      get: imports('Import business opportunities (section 20), all or nothing'),
      post: imports('The same, data as a form field or a JSON body'),
    },
    '/bridge/ToneFileSvlt': {
      get: {
        summary: 'opt=query: every tone file as JSON [{id,titel,path,des}]; opt=delete&id=: delete one',
        parameters: query('opt', 'id'),
        responses: { 200: json('the list, or 200'), 400: text('bad'), 404: text('no such tone') },
      },
      post: {
        summary: 'opt=save (id to modify, title, des, file as multipart): answers the id, or 0 and why',
        parameters: query('opt', 'id', 'title', 'des'),
        responses: { 200: text('the id'), 400: text('0'), 404: text('0'), 413: text('0') },
      },
    },
    '/bridge/SmsQuerySvlt': { get: sms, post: sms },
  };
}

/** The SOAP services (sections 25, 27, 28): WSDL on GET ?wsdl, envelopes on POST. */
function soapPaths(): Record<string, Record<string, Operation>> {
  const out: Record<string, Record<string, Operation>> = {};
  for (const name of ['Click2CallControl', 'VoiceMailHome', 'CallRecordHome'])
    out[`/bridge/services/${name}`] = {
      get: {
        summary: `${name}: the WSDL (?wsdl)`,
        responses: { 200: { description: 'WSDL 1.1', content: { 'text/xml': {} } } },
      },
      post: {
        summary: `${name}: a SOAP 1.1 or 1.2 envelope (document/literal); see docs/api.md`,
        responses: {
          200: { description: 'the answer envelope' },
          500: { description: 'a SOAP fault with the code' },
        },
      },
    };
  return out;
}

export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'switchboard-ivr',
      version,
      description:
        "The runtime's HTTP interfaces: the vendor manual's call-center API (/bridge, /Oms) and the designer's JSON API (/api). See docs/api.md and docs/api-bridge.md.",
    },
    servers: [{ url: 'http://127.0.0.1:12121' }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{}, { bearer: [] }],
    paths: { '/bridge/callctrl': { get: callctrl(), post: callctrl() }, ...API },
  };
}

export function openApiRoutes(version: string): Hono {
  const app = new Hono();
  const body = JSON.stringify(openApiDocument(version), null, 2);
  app.get('/openapi.json', (c) => c.body(body, 200, { 'Content-Type': 'application/json; charset=utf-8' }));
  return app;
}
