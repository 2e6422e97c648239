import type { Engine, RequestHooks } from './engine.js';
import type { HttpServer } from './http/server.js';
import type { Sender } from './outbox/outbox.js';

/** What a platform adapter plugs into: HTTP routes (web role), an outbox sender and a worker side (worker role). */
export interface Adapter extends RequestHooks {
  mount?(http: HttpServer, engine: Engine): Promise<void> | void;
  sender?(engine: Engine): Sender;
  startWorker?(engine: Engine): Promise<void>;
  /** Called once at start-up in every role (e.g. registering commands with the platform). */
  prepare?(engine: Engine): Promise<void>;
  stop?(): Promise<void>;
}
