// Locates the schema test fixtures and every example document, and reads a fixture's expected problem codes.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const FIXTURES = join(REPO, 'test/schema/fixtures');

function xmlFiles(dir: string): string[] {
  let out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') out = out.concat(xmlFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.xml')) out.push(path);
  }
  return out.sort();
}

/** Every `examples/**\/*.xml` that exists now (other engineers keep adding examples). */
export function exampleFiles(): string[] {
  return xmlFiles(join(REPO, 'examples'));
}

/** Fixtures under `valid/` and `invalid/`: each starts with `<!-- expect: CODE… -->`. */
export function caseFixtures(): { name: string; path: string; text: string; expect: string[] }[] {
  return [...xmlFiles(join(FIXTURES, 'valid')), ...xmlFiles(join(FIXTURES, 'invalid'))].map((path) => {
    const text = readFileSync(path, 'utf8');
    const match = /<!-- expect:([^>]*?)-->/.exec(text);
    if (!match) throw new Error(`${path} has no expect comment`);
    return {
      name: relative(FIXTURES, path),
      path,
      text,
      expect: match[1].trim().split(/\s+/).filter(Boolean),
    };
  });
}

/** The manual's reconstructed example (control-api.md D.8) plus every valid fixture and every example. */
export function validDocuments(): string[] {
  return [join(FIXTURES, 'manual-delicious.xml'), ...xmlFiles(join(FIXTURES, 'valid')), ...exampleFiles()];
}
