import type { Api } from 'grammy';
import { z } from 'zod';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import { apiOutlet, channelTarget, classifyError, renderAndStore, sendRendered } from './send.js';

/**
 * Where an update is answered, written into its events when they are recorded and read back (checked) where they
 * are handled: the chat, its forum topic and business connection, the message answers reply to (a command in a
 * group), and for a click the clicked message, which shows the outcome. A click on an inline-mode message has no
 * chat: its address is the clicker's private chat.
 */
export const answerAddressSchema = z.object({
  via: z.literal('chat'),
  chat: z.number().int(),
  thread: z.number().int().positive().optional(),
  business: z.string().min(1).max(256).optional(),
  replyTo: z.number().int().positive().optional(),
  /** A private chat: Telegram refusing it for good means the person cannot be reached. */
  private: z.boolean(),
  /** `/start`: the first answer opens with "Hello, <first name>!". */
  greet: z.string().min(1).max(256).optional(),
  clicked: z.number().int().positive().optional(),
});
export type AnswerAddress = z.infer<typeof answerAddressSchema>;

/** `/start`'s greeting on the first reply. */
export function greeted(replies: Reply[], greet: string | undefined): Reply[] {
  if (!greet || !replies[0]) return replies;
  return [{ ...replies[0], text: `Hello, ${greet}!\n${replies[0].text}` }, ...replies.slice(1)];
}

/**
 * Sends the replies in the address's chat (its topic, its business connection), in reply to `replyTo` when set.
 * One Telegram refused for longer than auto-retry waits (429 with a long retry_after, 5xx, network) goes, with the
 * rest, to the outbox: to the same place, not before Telegram's wait is over. `key`: the outbox idempotency key's stem.
 */
export async function answerIn(api: Api, engine: Engine, tenant: string, a: AnswerAddress, replies: Reply[], key: string): Promise<void> {
  const extra = a.replyTo ? { reply_parameters: { message_id: a.replyTo, allow_sending_without_reply: true } } : {};
  const outlet = apiOutlet(api, a.chat, a.thread ?? null, a.business ?? null);
  for (const [i, reply] of replies.entries()) {
    try {
      await sendRendered(outlet, await renderAndStore(engine, tenant, reply), extra);
    } catch (e) {
      const f = classifyError(e, 0);
      if (!('retryAfterMs' in f)) {
        if (f.unreachable && a.private) await engine.store.tenant(tenant).identities.setReachable(`telegram:${a.chat}`, false);
        throw new Error(f.permanent);
      }
      engine.log.warn({ chat: a.chat, reason: f.reason }, 'telegram reply deferred to the outbox');
      const target = channelTarget(a.chat, a.thread, a.business);
      const notBefore = new Date(Date.parse(engine.now()) + f.retryAfterMs).toISOString();
      for (const [j, later] of replies.slice(i).entries()) {
        await engine.outbox.send(tenant, { platform: 'telegram', target, reply: later, idempotencyKey: `${key}:${i + j}`, notBefore });
      }
      return;
    }
  }
}

/**
 * The clicked message shows the outcome: replaced by it when the outcome is one text message,
 * otherwise its keyboard is removed. Returns the replies still to send as new messages.
 */
export async function settle(api: Api, engine: Engine, tenant: string, a: AnswerAddress, replies: Reply[]): Promise<Reply[]> {
  if (!a.clicked) return replies;
  const where = a.business ? { business_connection_id: a.business } : {};
  const warn = (e: unknown) => engine.log.warn({ chat: a.chat, err: e instanceof Error ? e.message : String(e) }, 'telegram could not edit the clicked message');
  if (replies.length === 1) {
    const { messages } = await renderAndStore(engine, tenant, replies[0]!);
    const only = messages.length === 1 && !messages[0]!.photo ? messages[0]! : null;
    if (only) {
      try {
        await api.editMessageText(a.chat, a.clicked, only.text, { ...where, parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(only.reply_markup ? { reply_markup: only.reply_markup } : {}) });
        return [];
      } catch (e) {
        warn(e);
      }
    }
  }
  await api.editMessageReplyMarkup(a.chat, a.clicked, where).catch(warn);
  return replies;
}

/** A click's outcome on its message, then what is left as new messages in the chat. */
export async function answerClick(api: Api, engine: Engine, tenant: string, a: AnswerAddress, replies: Reply[], key: string): Promise<void> {
  await answerIn(api, engine, tenant, a, await settle(api, engine, tenant, a, replies), key);
}

/**
 * The adapter's `answer` hook, where an event is handled: a queued or replayed update answered at its address
 * through the Bot API. Without a readable address, by DM through the outbox.
 */
export async function answerAt(api: Api, engine: Engine, ev: ChatEvent, replies: Reply[]): Promise<void> {
  if (!replies.length) return;
  const tenant = engine.tenantFor('telegram', ev.scope);
  const address = answerAddressSchema.safeParse(ev.answer);
  if (!address.success) {
    engine.log.warn({ eventId: ev.eventId, err: address.error.message }, 'telegram answer address unreadable; answering by DM');
    return engine.replyToPerson(ev, replies, `telegram:${ev.eventId}`);
  }
  await answerClick(api, engine, tenant, address.data, greeted(replies, address.data.greet), `telegram:reply:${ev.eventId}`);
}
