// The designer's flows API: drafts, publish, versions, rollback, delete (docs/api.md, "Flows").
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { checkFlow, hasErrors, parseProblems } from '../callcenter/flow-registry.ts';
import { soundExistsIn } from '../files/sound-source.ts';
import type { ApiDeps } from './deps.ts';
import { jsonError, limitBody, readJson } from './json.ts';

const FLOW_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_XML = 512 * 1024;

/** A new flow's draft when the designer sends none: answers and hangs up. */
export const EMPTY_FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<tns:vxml xmlns:tns="http://www.example.org/voicemail">
  <tns:form id="main">
    <tns:hangup/>
  </tns:form>
</tns:vxml>
`;

const createBody = z.strictObject({
  id: z
    .string()
    .regex(FLOW_ID, 'letters, digits, _ and - (1 to 64, starting with a letter or digit)')
    .optional(),
  name: z.string().trim().min(1).max(200),
  xml: z.string().max(MAX_XML).optional(),
  layout: z.unknown().optional(),
});
const saveBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  xml: z.string().max(MAX_XML),
  layout: z.unknown().optional(),
});
const publishBody = z.strictObject({
  author: z.string().max(200).optional(),
  note: z.string().max(2000).optional(),
});
const rollbackBody = z.strictObject({ version: z.number().int().min(1) });

/** A flow id from a name: lower-case slug, made unique with a numeric suffix. */
async function idFromName(name: string, taken: (id: string) => Promise<boolean>): Promise<string> {
  const base =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 56) || 'flow';
  let id = base;
  for (let n = 2; await taken(id); n++) id = `${base}-${n}`;
  return id;
}

/** 400 `{ error, problems }` when the XML is not a readable document (semantic errors are fine in a draft). */
function unreadable(c: Context, xml: string): Response | undefined {
  const problems = parseProblems(xml);
  return problems.length === 0 ? undefined : jsonError(c, 400, 'the XML does not parse', { problems });
}

type FlowDeps = Pick<ApiDeps, 'store' | 'config' | 'sounds'>;

/** The flows API: drafts here, versions in `versionRoutes`. */
export function flowRoutes(deps: FlowDeps): Hono {
  const app = new Hono();
  const flows = deps.store.flows;
  app.use('/api/flows/*', limitBody(deps.config.http.maxBodyBytes));
  app.use('/api/flows', limitBody(deps.config.http.maxBodyBytes));
  app.route('/', versionRoutes(deps));

  app.get('/api/flows', async (c) => c.json(await flows.list()));

  app.post('/api/flows', async (c) => {
    const body = await readJson(c, createBody);
    if (!body.ok) return body.response;
    const { name, layout } = body.value;
    const xml = body.value.xml ?? EMPTY_FLOW;
    const bad = unreadable(c, xml);
    if (bad) return bad;
    const id = body.value.id ?? (await idFromName(name, (x) => flows.exists(x)));
    if (await flows.exists(id)) return jsonError(c, 409, `flow '${id}' already exists`);
    await flows.create({ id, name, xml, layout, now: Date.now() });
    return c.json({ id }, 201);
  });

  app.get('/api/flows/:id', async (c) => {
    const flow = await flows.get(c.req.param('id'));
    return flow ? c.json(flow) : jsonError(c, 404, 'unknown flow');
  });

  app.put('/api/flows/:id', async (c) => {
    const id = c.req.param('id');
    if (!(await flows.exists(id))) return jsonError(c, 404, 'unknown flow');
    const body = await readJson(c, saveBody);
    if (!body.ok) return body.response;
    const bad = unreadable(c, body.value.xml);
    if (bad) return bad;
    await flows.saveDraft(id, { ...body.value, now: Date.now() });
    return c.json(await flows.get(id));
  });

  app.delete('/api/flows/:id', async (c) =>
    (await flows.delete(c.req.param('id'))) ? c.body(null, 204) : jsonError(c, 404, 'unknown flow'),
  );

  return app;
}

/** Publish, versions, rollback. */
function versionRoutes(deps: FlowDeps): Hono {
  const app = new Hono();
  const flows = deps.store.flows;
  app.post('/api/flows/:id/publish', async (c) => {
    const flow = await flows.get(c.req.param('id'));
    if (!flow) return jsonError(c, 404, 'unknown flow');
    const body = await readJson(c, publishBody);
    if (!body.ok) return body.response;
    const { problems } = checkFlow(flow.xml, soundExistsIn(deps.sounds));
    if (hasErrors(problems)) return jsonError(c, 422, 'the flow has errors', { problems });
    const version = await flows.addVersion(flow.id, { xml: flow.xml, ...body.value, now: Date.now() });
    return c.json({ version, problems }, 201);
  });

  app.get('/api/flows/:id/versions', async (c) => {
    const id = c.req.param('id');
    return (await flows.exists(id)) ? c.json(await flows.versions(id)) : jsonError(c, 404, 'unknown flow');
  });

  app.get('/api/flows/:id/versions/:v', async (c) => {
    const v = Number(c.req.param('v'));
    const found = Number.isInteger(v) ? await flows.version(c.req.param('id'), v) : undefined;
    return found ? c.json(found) : jsonError(c, 404, 'unknown flow or version');
  });

  app.post('/api/flows/:id/rollback', async (c) => {
    const id = c.req.param('id');
    if (!(await flows.exists(id))) return jsonError(c, 404, 'unknown flow');
    const body = await readJson(c, rollbackBody);
    if (!body.ok) return body.response;
    const old = await flows.version(id, body.value.version);
    if (!old) return jsonError(c, 404, `flow '${id}' has no version ${body.value.version}`);
    const version = await flows.addVersion(id, {
      xml: old.xml,
      author: null,
      note: `rollback to version ${old.version}`,
      now: Date.now(),
    });
    return c.json({ version }, 201);
  });
  return app;
}
