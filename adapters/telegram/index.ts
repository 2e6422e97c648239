import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { apiThrottler } from '@grammyjs/transformer-throttler';
import { Api, Bot, type NextFunction } from 'grammy';
import type { AppConfig } from '../../config/index.js';
import type { Adapter, Engine } from '../../core/index.js';
import { timeoutSignal, type GrammySignal } from './abort.js';
import { answerAt } from './answer.js';
import { botCommands } from './commands.js';
import { inboundComposer, type CrmContext } from './inbound.js';
import { ALLOWED_UPDATES } from './payloads.js';
import { startPolling, type Polling } from './polling.js';
import { telegramSender } from './send.js';
import { mountWebhook } from './webhook.js';

const CALL_TIMEOUT_MS = 5000;

/**
 * auto-retry waits out a `retry_after` up to this long and retries a few times; a longer wait (or a 5xx,
 * or no network) is the outbox's to schedule, so neither a reply nor an outbox send is lost or held.
 */
const AUTO_RETRY = { maxDelaySeconds: 10, maxRetryAttempts: 3, rethrowInternalServerErrors: true, rethrowHttpErrors: true };

export interface TelegramOptions {
  /** The throttler's limits (its defaults follow Telegram's published ones); tests pass quicker ones. */
  throttle?: Parameters<typeof apiThrottler>[0];
}

/**
 * Telegram through grammY: webhook at POST /telegram/webhook when TELEGRAM_WEBHOOK_SECRET is set,
 * long polling with grammY's runner in the worker otherwise; an outbox sender either way.
 */
export function telegramAdapter(config: AppConfig, options: TelegramOptions = {}): Adapter {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_WEBHOOK_URL: webhookUrl, TELEGRAM_API_ROOT: apiRoot } = config.env;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is missing: the Telegram adapter needs the bot token');
  // grammY appends `/bot<token>/<method>` itself, so a trailing slash would double up.
  const client = apiRoot ? { apiRoot: apiRoot.replace(/\/+$/, '') } : {};
  const bot = new Bot<CrmContext>(token, { client });
  // Answers to updates are paced per chat by the throttler (one a second in a chat, 20 a minute in a group)...
  bot.api.config.use(apiThrottler(options.throttle));
  bot.api.config.use(autoRetry(AUTO_RETRY));
  // ...while the outbox paces its own sends, so a paced group never holds an outbox lease.
  const outboxApi = new Api(token, client);
  outboxApi.config.use(autoRetry(AUTO_RETRY));

  const inFlight = new Set<Promise<void>>();
  let polling: Polling | null = null;
  let wired = false;

  const wire = (engine: Engine) => {
    if (wired) return;
    wired = true;
    bot.catch((err) => engine.log.error({ update: err.ctx.update.update_id, err: err.error instanceof Error ? err.error.message : String(err.error) }, 'telegram update failed'));
    // Tracked so stop() lets updates in hand, and answers of queued ones, finish before the store closes.
    bot.use(async (_ctx: CrmContext, next: NextFunction) => {
      const p = next();
      inFlight.add(p);
      await p.finally(() => inFlight.delete(p));
    });
    bot.use(sequentialize((ctx: CrmContext) => ctx.chat?.id.toString()));
    bot.use(inboundComposer(engine, (answer) => {
      inFlight.add(answer);
      void answer.finally(() => inFlight.delete(answer));
    }));
  };

  const adapter: Adapter = {
    platform: 'telegram',
    async prepare(engine) {
      const log = engine.log;
      const call = (what: string, f: (signal: GrammySignal) => Promise<unknown>) =>
        f(timeoutSignal(CALL_TIMEOUT_MS)).catch((e: unknown) => log.warn({ err: e instanceof Error ? e.message : String(e) }, `telegram ${what} failed`));
      await call('getMe (asked again on the first update)', (s) => bot.init(s));
      await call('setMyCommands', (s) => bot.api.setMyCommands(botCommands(engine.commands), {}, s));
      if (secret && webhookUrl) {
        await call('setWebhook', (s) => bot.api.setWebhook(webhookUrl, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }, s));
      }
    },
    sender: (engine) => telegramSender(engine, outboxApi),
    // Where updates are handled (the processing thread, or here): queued and replayed ones answered in their chat.
    answer: (engine, ev, replies) => answerAt(bot.api, engine, ev, replies),
    async stop() {
      await polling?.stop();
      polling = null;
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
  };
  if (secret) {
    adapter.mount = (http, engine) => {
      wire(engine);
      mountWebhook(http, bot, secret, engine);
    };
  } else {
    adapter.startWorker = async (engine) => {
      wire(engine);
      polling = startPolling(bot, engine.log);
    };
  }
  return adapter;
}
