import { Bot } from 'grammy';
import type { AppConfig } from '../../config/index.js';
import type { Adapter, Engine } from '../../core/index.js';
import { timeoutSignal, type GrammySignal } from './abort.js';
import { botCommands } from './commands.js';
import { dispatcher } from './inbound.js';
import { ChatPacer } from './pacer.js';
import { ALLOWED_UPDATES, type Update } from './payloads.js';
import { startPolling, type Polling } from './polling.js';
import { ChatQueue } from './queue.js';
import { telegramSender } from './send.js';
import { mountWebhook } from './webhook.js';

// getMe retries network errors inside grammY until this signal fires, so it bounds start-up delay too.
const CALL_TIMEOUT_MS = 5000;
const REINIT_EVERY_MS = 60_000;

/**
 * Telegram through grammY: webhook at POST /telegram/webhook when TELEGRAM_WEBHOOK_SECRET is set,
 * long polling in the worker otherwise; an outbox sender either way.
 */
export function telegramAdapter(config: AppConfig): Adapter {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_WEBHOOK_SECRET: secret, TELEGRAM_WEBHOOK_URL: webhookUrl, TELEGRAM_API_ROOT: apiRoot } = config.env;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is missing: the Telegram adapter needs the bot token');
  // grammY appends `/bot<token>/<method>` itself, so a trailing slash would double up.
  const bot = new Bot(token, apiRoot ? { client: { apiRoot: apiRoot.replace(/\/+$/, '') } } : {});
  const pacer = new ChatPacer();
  let queue: ChatQueue | null = null;
  let onUpdate: ((u: Update) => void) | null = null;
  let polling: Polling | null = null;
  let lastInit = 0;

  // getMe may have failed at start-up; ask again now and then, and meanwhile accept any addressee.
  const username = (log: Engine['log']) => (): string | null => {
    if (bot.isInited()) return bot.botInfo.username;
    if (Date.now() - lastInit > REINIT_EVERY_MS) {
      lastInit = Date.now();
      bot.init(timeoutSignal(CALL_TIMEOUT_MS)).catch((e: unknown) => log.warn({ err: String(e) }, 'telegram getMe failed'));
    }
    return null;
  };

  const updates = (engine: Engine) => {
    queue ??= new ChatQueue((e) => engine.log.error({ err: String(e) }, 'telegram update failed'));
    onUpdate ??= dispatcher({ engine, api: bot.api, pacer, queue, username: username(engine.log) });
    return onUpdate;
  };

  const adapter: Adapter = {
    platform: 'telegram',
    async prepare(engine) {
      const log = engine.log;
      const call = (what: string, f: (signal: GrammySignal) => Promise<unknown>) =>
        f(timeoutSignal(CALL_TIMEOUT_MS)).catch((e: unknown) => log.warn({ err: e instanceof Error ? e.message : String(e) }, `telegram ${what} failed`));
      lastInit = Date.now();
      await call('getMe (commands are accepted without checking the bot name until it answers)', (s) => bot.init(s));
      await call('setMyCommands', (s) => bot.api.setMyCommands(botCommands(engine.commands), {}, s));
      if (secret && webhookUrl) {
        await call('setWebhook', (s) => bot.api.setWebhook(webhookUrl, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES] }, s));
      }
    },
    sender: (engine) => telegramSender(engine, bot.api, pacer),
    async stop() {
      await polling?.stop();
      polling = null;
      // Updates already queued finish before the store closes.
      await queue?.idle();
    },
  };
  if (secret) {
    adapter.mount = (http, engine) => mountWebhook(http, secret, updates(engine));
  } else {
    adapter.startWorker = async (engine) => {
      polling = startPolling(bot, updates(engine), engine.log);
    };
  }
  return adapter;
}
