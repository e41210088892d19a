// The extensions and groups API: GET/PUT/DELETE /api/extensions/:number and /api/groups/:number. A change applies
// at once (the registrar, routing, EXTNUM_STATE); the configuration file's entries are written again at start.
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from './deps.ts';
import { jsonError, limitBody, readJson } from './json.ts';

const NUMBER = /^[0-9*#+]{1,32}$/;

const extensionBody = z.strictObject({
  password: z.string().min(4, 'at least 4 characters').max(128),
  name: z.string().trim().min(1).max(64).optional(),
  group: z.string().regex(NUMBER).nullable().optional(),
  permissions: z
    .array(z.enum(['monitor']))
    .max(1)
    .default([]),
});

const groupBody = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  strategy: z.enum(['ring-all', 'round-robin', 'longest-idle']).default('longest-idle'),
  ringSec: z.number().int().min(5).max(120).default(20),
  timeoutSec: z.number().int().min(5).max(3600).default(120),
  holdMusic: z.string().min(1).max(512).nullable().optional(),
});

/** Extensions as the API shows them: never the password. */
const shown = <T extends { password: string }>({ password: _p, ...rest }: T) => rest;

export function extensionRoutes(deps: Pick<ApiDeps, 'calls' | 'config'>): Hono {
  const app = new Hono();
  const directory = deps.calls.directory;
  for (const path of ['/api/extensions/*', '/api/groups/*'])
    app.use(path, limitBody(deps.config.http.maxBodyBytes));

  app.get('/api/extensions', (c) => c.json(directory.allExtensions().map(shown)));
  app.put('/api/extensions/:number', async (c) => {
    const number = c.req.param('number');
    if (!NUMBER.test(number)) return jsonError(c, 400, 'an extension number is digits, *, # or +');
    if (directory.isGroup(number)) return jsonError(c, 409, `${number} is a group`);
    const body = await readJson(c, extensionBody);
    if (!body.ok) return body.response;
    const { password, name, group, permissions } = body.value;
    if (group && !directory.isGroup(group)) return jsonError(c, 400, `no group ${group}`);
    await directory.saveExtension({
      number,
      password,
      name: name ?? number,
      group: group ?? null,
      permissions,
    });
    return c.json(shown(directory.extension(number)!));
  });
  app.delete('/api/extensions/:number', async (c) =>
    (await directory.deleteExtension(c.req.param('number')))
      ? c.body(null, 204)
      : jsonError(c, 404, 'no such extension'),
  );

  app.get('/api/groups', (c) =>
    c.json(
      directory
        .allGroups()
        .map((g) => ({ ...g, members: directory.membersOf(g.number).map((e) => e.number) })),
    ),
  );
  app.put('/api/groups/:number', async (c) => {
    const number = c.req.param('number');
    if (!NUMBER.test(number)) return jsonError(c, 400, 'a group number is digits, *, # or +');
    if (directory.isExtension(number)) return jsonError(c, 409, `${number} is an extension`);
    const body = await readJson(c, groupBody);
    if (!body.ok) return body.response;
    const g = body.value;
    await directory.saveGroup({
      number,
      ...g,
      name: g.name ?? `Group ${number}`,
      holdMusic: g.holdMusic ?? null,
    });
    return c.json(directory.group(number));
  });
  app.delete('/api/groups/:number', async (c) =>
    (await directory.deleteGroup(c.req.param('number')))
      ? c.body(null, 204)
      : jsonError(c, 404, 'no such group'),
  );
  return app;
}
