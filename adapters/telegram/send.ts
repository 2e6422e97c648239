import { GrammyError, HttpError, InputFile, type Api } from 'grammy';
import type { Engine, Parts, Reply, Sender } from '../../core/index.js';
import { backoffMs, untrackedParts } from '../../core/index.js';
import type { StoredCallback } from './callback-data.js';
import { render, type Rendered, type RenderedMessage } from './render.js';

/** Where long button values live; the click looks them up in the same tenant. */
export function callbackStore(engine: Engine, tenant: string) {
  return engine.store.tenant(tenant).docs<StoredCallback>('telegram', 'callbacks');
}

export async function renderAndStore(engine: Engine, tenant: string, reply: Reply): Promise<Rendered> {
  const out = render(reply);
  for (const cb of out.callbacks) await callbackStore(engine, tenant).put(cb);
  return out;
}

type Keyboard = NonNullable<RenderedMessage['reply_markup']>;
/** The options every rendered message is sent with, plus where it goes within its chat. */
export interface SendOptions {
  parse_mode?: 'HTML';
  link_preview_options?: { is_disabled: boolean };
  caption?: string;
  reply_markup?: Keyboard;
  reply_parameters?: { message_id: number; allow_sending_without_reply: boolean };
  message_thread_id?: number;
}

/** Where rendered messages go: one chat (its topic, its business connection) through the Api (`apiOutlet`). */
export interface Outlet {
  text(html: string, options: SendOptions): Promise<unknown>;
  photo(photo: string | InputFile, options: SendOptions): Promise<unknown>;
}

/**
 * One Bot API call per rendered message, in order; errors are thrown as grammY raises them. Each message
 * is a part (`message:<n>`): one delivered on an earlier attempt is skipped, each new one recorded before the next.
 */
export async function sendRendered(out: Outlet, rendered: Rendered, extra: Pick<SendOptions, 'reply_parameters'> = {}, parts: Parts = untrackedParts()): Promise<void> {
  for (const [i, m] of rendered.messages.entries()) {
    const part = `message:${i}`;
    if (parts.has(part)) continue;
    const markup = m.reply_markup ? { reply_markup: m.reply_markup } : {};
    let sent: unknown;
    if (m.photo) {
      const photo = 'url' in m.photo ? m.photo.url : new InputFile(m.photo.bytes, m.photo.filename);
      sent = await out.photo(photo, { ...(m.text ? { caption: m.text, parse_mode: 'HTML' as const } : {}), ...markup, ...extra });
    } else {
      sent = await out.text(m.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...markup, ...extra });
    }
    const id = (sent as { message_id?: number } | undefined)?.message_id;
    await parts.delivered(part, id === undefined ? undefined : String(id));
  }
}

export interface Target {
  chatId: number;
  threadId: number | null;
  /** A business account's chat is only reachable through its business connection. */
  business: string | null;
  dm: boolean;
}

/**
 * An outbox target: `telegram:<user>` is a DM (chat id = user id), `channel:<chat>[/<topic>][#<business connection>]`
 * a chat, one of its forum topics, or a chat of a connected business account (the connection id URI-encoded).
 */
export function parseTarget(target: string): Target | null {
  const dm = /^telegram:(\d+)$/.exec(target);
  if (dm) return { chatId: Number(dm[1]), threadId: null, business: null, dm: true };
  const ch = /^channel:(-?\d+)(?:\/(\d+))?(?:#([^#/]+))?$/.exec(target);
  if (!ch) return null;
  let business: string | null = null;
  try {
    business = ch[3] ? decodeURIComponent(ch[3]) : null;
  } catch {
    return null;
  }
  return { chatId: Number(ch[1]), threadId: ch[2] ? Number(ch[2]) : null, business, dm: false };
}

export function channelTarget(chatId: number, threadId: number | undefined, business?: string): string {
  return `channel:${chatId}${threadId ? `/${threadId}` : ''}${business ? `#${encodeURIComponent(business)}` : ''}`;
}

/** The outbox's way into one chat (its topic, its business connection) through the Api. */
export function apiOutlet(api: Api, chatId: number, threadId: number | null, business: string | null = null): Outlet {
  const where = { ...(threadId ? { message_thread_id: threadId } : {}), ...(business ? { business_connection_id: business } : {}) };
  return {
    text: (html, options) => api.sendMessage(chatId, html, { ...options, ...where }),
    photo: (photo, options) => api.sendPhoto(chatId, photo, { ...options, ...where }),
  };
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

/**
 * The outbox sender. It never waits itself: grammY's auto-retry waits out a short `retry_after`, a
 * longer one (or a 5xx, or no network) becomes retryAfterMs for the outbox, a 4xx a permanent failure.
 */
export function telegramSender(engine: Engine, api: Api): Sender {
  return async (item, parts) => {
    const to = parseTarget(item.target);
    if (!to) return { ok: false, permanent: `not a Telegram target: ${item.target}` };
    try {
      await sendRendered(apiOutlet(api, to.chatId, to.threadId, to.business), await renderAndStore(engine, item.tenant, item.reply), {}, parts);
      return { ok: true };
    } catch (e) {
      const f = classifyError(e, item.attempts);
      if ('retryAfterMs' in f) return { ok: false, ...f };
      if (f.unreachable && to.dm) await engine.store.tenant(item.tenant).identities.setReachable(item.target, false);
      return { ok: false, permanent: f.permanent };
    }
  };
}
