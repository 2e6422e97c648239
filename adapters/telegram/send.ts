import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import type { Engine, Reply, Sender } from '../../core/index.js';
import { backoffMs } from '../../core/index.js';
import type { StoredCallback } from './callback-data.js';
import type { ChatPacer } from './pacer.js';
import { render, type Rendered } from './render.js';

/** Where long button values live; the click looks them up in the same tenant. */
export function callbackStore(engine: Engine, tenant: string) {
  return engine.store.tenant(tenant).docs<StoredCallback>('telegram', 'callbacks');
}

export async function renderAndStore(engine: Engine, tenant: string, reply: Reply): Promise<Rendered> {
  const out = render(reply);
  for (const cb of out.callbacks) await callbackStore(engine, tenant).put(cb);
  return out;
}

/** One Bot API call per rendered message, in order; errors are thrown as grammY raises them. */
export async function sendRendered(api: Api, chatId: string, rendered: Rendered, pacer: ChatPacer): Promise<void> {
  const chat = Number(chatId);
  for (const m of rendered.messages) {
    const markup = m.reply_markup ? { reply_markup: m.reply_markup } : {};
    if (m.photo) {
      const photo = 'url' in m.photo ? m.photo.url : new InputFile(m.photo.bytes, m.photo.filename);
      await api.sendPhoto(chat, photo, { ...(m.text ? { caption: m.text, parse_mode: 'HTML' as const } : {}), ...markup });
    } else {
      await api.sendMessage(chat, m.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup });
    }
    pacer.note(chatId);
  }
}

// 403 descriptions that mean this person cannot get messages until they write to the bot again.
const UNREACHABLE = /bot was blocked by the user|user is deactivated|bot can't initiate conversation/i;

export type Failure = { retryAfterMs: number; reason: string } | { permanent: string; unreachable: boolean };

/** What a failed Bot API call means for the outbox: when to try again, or never. */
export function classifyError(e: unknown, attempts: number): Failure {
  if (e instanceof GrammyError) {
    if (e.error_code === 429) {
      const seconds = e.parameters.retry_after ?? 5;
      return { retryAfterMs: seconds * 1000, reason: `Telegram rate limit (429), retry after ${seconds} s` };
    }
    if (e.error_code >= 500) return { retryAfterMs: Math.max(5000, backoffMs(attempts)), reason: `Telegram answered ${e.error_code}` };
    return { permanent: `Telegram answered ${e.error_code}: ${e.description}`, unreachable: e.error_code === 403 && UNREACHABLE.test(e.description) };
  }
  // HttpError messages are grammY's own and never carry the token (sensitive logs are off).
  const reason = e instanceof HttpError ? e.message : `send failed: ${e instanceof Error ? e.message : String(e)}`;
  return { retryAfterMs: backoffMs(attempts), reason };
}

const DM = /^telegram:(\d+)$/;
const CHANNEL = /^channel:(-?\d+)$/;

/**
 * The outbox sender: `telegram:<user>` is a DM (chat id = user id), `channel:<chat>` a group or chat.
 * It never retries itself: the pacer and Telegram's answers become retryAfterMs or a permanent failure.
 */
export function telegramSender(engine: Engine, api: Api, pacer: ChatPacer): Sender {
  return async (item) => {
    const chatId = (DM.exec(item.target) ?? CHANNEL.exec(item.target))?.[1];
    if (!chatId) return { ok: false, permanent: `not a Telegram target: ${item.target}` };
    const wait = pacer.waitMs(chatId);
    if (wait > 0) return { ok: false, retryAfterMs: wait, reason: 'paced', onlyThisTarget: true };
    try {
      await sendRendered(api, chatId, await renderAndStore(engine, item.tenant, item.reply), pacer);
      return { ok: true };
    } catch (e) {
      const f = classifyError(e, item.attempts);
      if ('retryAfterMs' in f) return { ok: false, ...f };
      if (f.unreachable && DM.test(item.target)) await engine.store.tenant(item.tenant).identities.setReachable(item.target, false);
      return { ok: false, permanent: f.permanent };
    }
  };
}
