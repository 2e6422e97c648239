import type { ChatEvent } from './chat/event.js';
import type { Reply } from './chat/reply.js';
import type { Platform } from './domain/types.js';
import type { Engine } from './engine.js';
import type { HttpServer } from './http/server.js';
import type { Sender } from './outbox/outbox.js';

/** What a platform adapter plugs into: HTTP routes (web role), an outbox sender and a worker side (worker role). */
export interface Adapter {
  platform: Platform;
  mount?(http: HttpServer, engine: Engine): Promise<void> | void;
  sender?(engine: Engine): Sender;
  startWorker?(engine: Engine): Promise<void>;
  /** Called once at start-up in every role (e.g. registering commands with the platform). */
  prepare?(engine: Engine): Promise<void>;
  stop?(): Promise<void>;
  /** Where requests are handled (the processing thread when there is one), before the engine handles one of this platform: fills in what only the platform can tell (the person's name). */
  complete?(engine: Engine, ev: ChatEvent): Promise<void>;
  /** Where requests are handled, after: shows the replies at the event's `answer` address (which this adapter wrote). Nobody waits for it; the engine logs a failure. */
  answer?(engine: Engine, ev: ChatEvent, replies: Reply[]): Promise<void>;
}
