// The XML documents the designer must round-trip: every example and every schema fixture, found at test time.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');

function walk(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : name.endsWith('.xml') ? [path] : [];
  });
}

/** Paths relative to the repository root, sorted. */
export function documentFiles(): string[] {
  return [...walk(join(root, 'examples')), ...walk(join(root, 'test', 'schema', 'fixtures'))]
    .map((p) => relative(root, p))
    .sort();
}

export function repoPath(rel: string): string {
  return join(root, rel);
}
