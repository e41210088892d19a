// The FreeSWITCH engine's public surface: the engine, its leg, its options and its errors.
export { FreeswitchEngine } from './engine.ts';
export type { FreeswitchEngineOptions, DrachtioOptions } from './engine.ts';
export { FreeswitchLeg } from './leg.ts';
export { FreeswitchError, type FreeswitchErrorCode } from './errors.ts';
export type { MediaServerOptions, MediaServerStatus } from './media-servers.ts';
