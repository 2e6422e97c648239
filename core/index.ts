/**
 * The app API: what adapters, main, bench and tests import from the core. It is the plugin API
 * (core/plugin-api.ts, all a plugin may import) plus what starts, stores and serves the app.
 */
export * from './plugin-api.js';
// The core's own command types (these names shadow the plugin API's narrowed ones).
export type { CommandContext, CommandSpec, Subcommand } from './commands/types.js';
export { command, sub } from './commands/define.js';
export type { Adapter } from './adapter.js';
export type { Engine } from './engine.js';
export { parseCommandLine } from './engine.js';
export type { HttpServer, HttpRequest, HttpResponse, Handler } from './http/server.js';
export { json } from './http/server.js';
export { BUSY_TEXT, NOT_RECORDED_TEXT, QUEUED_TEXT } from './chat/ack-texts.js';
export { newSecret, secretHash } from './http/secret.js';
export { bearerToken, sameSecret, isLoopbackPeer } from './http/metrics-access.js';
export type { Sender, SendResult } from './outbox/outbox.js';
export { backoffMs } from './outbox/outbox.js';
export { untrackedParts, type Parts } from './outbox/parts.js';
export { TokenBucket } from './outbox/token-bucket.js';
export { createLogger } from './logger.js';
export { serveProcessing, processingFailed } from './ingress/thread.js';
export { startApp, type AppOptions, type RunningApp, type Role as ProcessRole } from './app.js';
export type { TenantStore, Store, DealFilter } from './store/port.js';
export { openStore, migrateStore } from './store/index.js';
export { RateLimiter } from './rate-limit.js';
export { loadDemo, type DemoSummary } from './demo/generate.js';
export { DEMO_PERSONAS } from './demo/personas.js';
export { seeded } from './demo/random.js';
export { ConfigError, type CoreConfig, type CoreFileConfig } from './config.js';
