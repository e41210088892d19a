// The catalog of the manual's opts is the one list: it names exactly the opts served, the OpenAPI document and
// docs/api-bridge.md come from it, and the docs file is current.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { describe, expect, it } from 'vitest';
import { OPTS } from '../../../runtime/api/bridge/catalog.ts';
import { catalogMarkdown } from '../../../runtime/api/bridge/catalog-md.ts';
import { optTable } from '../../../runtime/api/bridge/callctrl.ts';
import { openApiDocument } from '../../../runtime/api/openapi.ts';

describe('the catalog of opts', () => {
  it('lists exactly the opts /bridge/callctrl serves', () => {
    expect(OPTS.map((o) => o.opt).sort()).toEqual(Object.keys(optTable()).sort());
  });

  it('is what /openapi.json documents', () => {
    const doc = openApiDocument('test') as {
      paths: Record<string, { get: { parameters: { name: string; schema: { enum?: string[] } }[] } }>;
    };
    const opt = doc.paths['/bridge/callctrl'].get.parameters.find((p) => p.name === 'opt');
    expect(opt?.schema.enum).toEqual(OPTS.map((o) => o.opt));
    for (const path of [
      '/bridge/jsoncfg',
      '/Oms/FileDownServlet',
      '/Oms/RecordPlayerSvlt',
      '/api/extensions',
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });

  it('matches docs/api-bridge.md (run npm run docs:api after changing it)', async () => {
    const file = fileURLToPath(new URL('../../../docs/api-bridge.md', import.meta.url));
    const options = (await resolveConfig(file)) ?? {};
    const expected = await format(catalogMarkdown(), { ...options, filepath: file });
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });
});
