import { setTimeout as sleep } from 'node:timers/promises';
import type { Bot } from 'grammy';
import type { Logger } from '../../core/index.js';
import { grammySignal } from './abort.js';
import { ALLOWED_UPDATES, parseUpdate, type Update } from './payloads.js';

export interface Polling {
  stop(): Promise<void>;
}

const RETRY = { firstMs: 5000, maxMs: 60_000 };
const STOP_WAIT_MS = 5000;

/**
 * Long polling with grammY's bot.start(). The middleware only queues the update (per-chat queue), so
 * chats are served concurrently. If Telegram cannot be reached, or answers 401/409, polling is
 * retried with growing pauses until stop().
 */
export function startPolling(bot: Bot, onUpdate: (u: Update) => void, log: Logger): Polling {
  const abort = new AbortController();
  bot.use((ctx) => {
    const parsed = parseUpdate(ctx.update);
    if (parsed.ok) onUpdate(parsed.update);
    else log.warn({ update: ctx.update.update_id, error: parsed.error }, 'telegram update has an unexpected shape');
  });
  const loop = (async () => {
    let pause = RETRY.firstMs;
    while (!abort.signal.aborted) {
      try {
        await bot.init(grammySignal(abort.signal));
        await bot.start({ drop_pending_updates: false, allowed_updates: [...ALLOWED_UPDATES] });
      } catch (e) {
        if (abort.signal.aborted) break;
        log.warn({ err: e instanceof Error ? e.message : String(e), retryInMs: pause }, 'telegram long polling failed');
      }
      await sleep(pause, undefined, { signal: abort.signal }).catch(() => undefined);
      pause = Math.min(pause * 2, RETRY.maxMs);
    }
  })();
  return {
    async stop() {
      abort.abort();
      const stopped = bot.isRunning() ? bot.stop().catch(() => undefined) : Promise.resolve();
      // grammY's last getUpdates (confirming the offset) must not hold up shutdown when Telegram is away.
      await Promise.race([Promise.all([stopped, loop]), sleep(STOP_WAIT_MS, undefined, { ref: false })]);
    },
  };
}
