import { setTimeout as sleep } from 'node:timers/promises';
import { run, type RunnerHandle } from '@grammyjs/runner';
import type { Bot } from 'grammy';
import type { Logger } from '../../core/index.js';
import { grammySignal } from './abort.js';
import type { CrmContext } from './inbound.js';
import { ALLOWED_UPDATES } from './payloads.js';

export interface Polling {
  stop(): Promise<void>;
}

const RETRY = { firstMs: 5000, maxMs: 60_000 };
const STOP_WAIT_MS = 5000;

/**
 * Long polling with grammY's runner: updates of different chats are handled concurrently (the bot's
 * sequentialize keeps each chat in order). The runner retries network errors itself; when it gives up
 * (401, 409: another instance polls) it is started again with growing pauses until stop().
 */
export function startPolling(bot: Bot<CrmContext>, log: Logger): Polling {
  const abort = new AbortController();
  let runner: RunnerHandle | null = null;
  const loop = (async () => {
    let pause = RETRY.firstMs;
    while (!abort.signal.aborted) {
      try {
        await bot.init(grammySignal(abort.signal));
        // A webhook left over from webhook mode would make getUpdates fail with 409.
        await bot.api.deleteWebhook({ drop_pending_updates: false }, grammySignal(abort.signal));
        if (abort.signal.aborted) break;
        runner = run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] }, silent: true } });
        await runner.task();
        if (!abort.signal.aborted) throw new Error('the runner stopped by itself');
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
      const stopped = Promise.resolve(runner?.stop()).catch(() => undefined);
      // The last getUpdates must not hold up shutdown when Telegram is away.
      await Promise.race([Promise.all([stopped, loop]), sleep(STOP_WAIT_MS, undefined, { ref: false })]);
    },
  };
}
