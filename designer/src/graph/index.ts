// The graph module's public surface: Document <-> graph mapping, exits, edits and layout (no React here).
export * from './types.ts';
export * from './mapping.ts';
export * from './exits.ts';
export * from './kinds.ts';
export * from './edits.ts';
export * from './templates.ts';
export * from './paths.ts';
export * from './branches.ts';
