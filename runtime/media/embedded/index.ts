// The embedded engine's public surface: the engine, its leg and options.
export { EmbeddedEngine } from './engine.ts';
export type {
  EmbeddedEngineOptions,
  EmbeddedEngineEvents,
  TrunkOptions,
  EngineLog,
  MediaFactory,
} from './engine.ts';
export { EmbeddedLeg } from './leg.ts';
export type { LegMedia } from './leg.ts';
export type { Extension } from './sip/registrar.ts';
