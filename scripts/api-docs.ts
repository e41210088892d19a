// `npm run docs:api`: writes docs/api-bridge.md from the catalog of the manual's opts.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { catalogMarkdown } from '../runtime/api/bridge/catalog-md.ts';

const target = fileURLToPath(new URL('../docs/api-bridge.md', import.meta.url));
writeFileSync(target, catalogMarkdown());
process.stdout.write(`wrote ${target}\n`);
