import type { Api } from 'grammy';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import { decodeCallbackData } from './callback-data.js';
import { normalize } from './normalize.js';
import type { ChatPacer } from './pacer.js';
import type { Update } from './payloads.js';
import type { ChatQueue } from './queue.js';
import { callbackStore, classifyError, renderAndStore, sendRendered } from './send.js';

export const EXPIRED = 'This button has expired';
const FAILED = 'Something went wrong; please try again.';

export interface InboundDeps {
  engine: Engine;
  api: Api;
  pacer: ChatPacer;
  queue: ChatQueue;
  /** The bot's username when getMe has answered; null means commands are not checked for an addressee. */
  username: () => string | null;
}

/**
 * Sends the replies in the chat right away. One Telegram refused for now (429, 5xx, network) goes,
 * with the rest, to the outbox, which retries with the platform's pacing.
 */
async function answer(deps: InboundDeps, chatId: string, ev: ChatEvent, replies: Reply[]): Promise<void> {
  const tenant = deps.engine.tenantFor('telegram', ev.scope);
  for (const [i, reply] of replies.entries()) {
    try {
      await sendRendered(deps.api, chatId, await renderAndStore(deps.engine, tenant, reply), deps.pacer);
    } catch (e) {
      const f = classifyError(e, 0);
      if (!('retryAfterMs' in f)) throw new Error(f.permanent);
      deps.engine.log.warn({ chat: chatId, reason: f.reason }, 'telegram reply deferred to the outbox');
      for (const [j, later] of replies.slice(i).entries()) {
        await deps.engine.outbox.send(tenant, { platform: 'telegram', target: `channel:${chatId}`, reply: later, idempotencyKey: `telegram:reply:${ev.eventId}:${i + j}` });
      }
      return;
    }
  }
}

async function resolveAction(engine: Engine, tenant: string, data: string | null): Promise<ChatEvent['action'] | null> {
  const decoded = data === null ? null : decodeCallbackData(data);
  if (!decoded) return null;
  if (decoded.kind === 'action') return { id: decoded.id, value: decoded.value };
  const stored = await callbackStore(engine, tenant).get(decoded.key);
  return stored ? { id: stored.action, value: stored.value } : null;
}

/** A button click: the callback query is always answered, whatever happens to the action. */
async function click(deps: InboundDeps, chatId: string, queryId: string, data: string | null, ev: ChatEvent): Promise<void> {
  let replies: Reply[] = [];
  let notice: string | undefined;
  try {
    const action = await resolveAction(deps.engine, deps.engine.tenantFor('telegram', ev.scope), data);
    if (action) replies = await deps.engine.handle({ ...ev, action });
    else notice = EXPIRED;
  } catch (e) {
    notice = FAILED;
    deps.engine.log.error({ chat: chatId, err: String(e) }, 'telegram button click failed');
  } finally {
    await deps.api.answerCallbackQuery(queryId, notice ? { text: notice } : {}).catch((e: unknown) =>
      deps.engine.log.warn({ chat: chatId, err: classifyError(e, 0) }, 'answerCallbackQuery failed'));
  }
  await answer(deps, chatId, ev, replies);
}

/** Validated update in, work queued on its chat; returns at once so the webhook can answer 200. */
export function dispatcher(deps: InboundDeps): (update: Update) => void {
  const log = deps.engine.log;
  return (update) => {
    const inbound = normalize(update, deps.username());
    switch (inbound.kind) {
      case 'event':
        void deps.queue.push(inbound.chatId, async () => answer(deps, inbound.chatId, inbound.event, await deps.engine.handle(inbound.event)));
        break;
      case 'click':
        void deps.queue.push(inbound.chatId, () => click(deps, inbound.chatId, inbound.queryId, inbound.data, inbound.event));
        break;
      case 'membership':
        log.info({ chat: inbound.chatId, chatType: inbound.chatType, from: inbound.from, to: inbound.to }, 'telegram bot membership changed');
        break;
      case 'ignored':
        log.debug({ update: update.update_id, why: inbound.why }, 'telegram update ignored');
        break;
    }
  };
}
