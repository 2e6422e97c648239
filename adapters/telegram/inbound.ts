import { Composer, type Context, type NextFunction } from 'grammy';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import { BUSY_TEXT, QUEUED_TEXT } from '../../core/index.js';
import { decodeCallbackData } from './callback-data.js';
import { fromCallback, fromDeletedBusinessMessages, fromMembership, fromMessage, messageOf } from './normalize.js';
import { parseUpdate, type Update } from './payloads.js';
import { render } from './render.js';
import { apiOutlet, callbackStore, channelTarget, classifyError, renderAndStore, sendRendered, type Outlet } from './send.js';

const EXPIRED = 'This button has expired';
const FAILED = 'Something went wrong; please try again.';

/** grammY's context plus the update as our schema validated it. */
export type CrmContext = Context & { crm: Update };

/** `ctx.reply` carries the forum topic and business connection; a click under an inline message answers in the clicker's DM. */
function outletOf(ctx: CrmContext): Outlet {
  if (!ctx.chat) return apiOutlet(ctx.api, ctx.from!.id, null);
  return { text: (html, options) => ctx.reply(html, options), photo: (photo, options) => ctx.replyWithPhoto(photo, options) };
}

/**
 * Sends the replies in the chat right away, in reply to `replyTo` when set. One Telegram refused for
 * longer than auto-retry waits (429 with a long retry_after, 5xx, network) goes, with the rest, to the
 * outbox: to the same topic and business connection, not before Telegram's wait is over.
 */
async function answer(ctx: CrmContext, engine: Engine, tenant: string, replies: Reply[], replyTo: number | null): Promise<void> {
  const extra = replyTo ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } } : {};
  for (const [i, reply] of replies.entries()) {
    try {
      await sendRendered(outletOf(ctx), await renderAndStore(engine, tenant, reply), extra);
    } catch (e) {
      const f = classifyError(e, 0);
      if (!('retryAfterMs' in f)) {
        if (f.unreachable && ctx.chat?.type === 'private') await engine.store.tenant(tenant).identities.setReachable(`telegram:${ctx.chat.id}`, false);
        throw new Error(f.permanent);
      }
      engine.log.warn({ chat: ctx.chat?.id, reason: f.reason }, 'telegram reply deferred to the outbox');
      const chatId = ctx.chat?.id ?? ctx.from!.id;
      const target = channelTarget(chatId, ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined, ctx.businessConnectionId);
      const notBefore = new Date(Date.parse(engine.now()) + f.retryAfterMs).toISOString();
      for (const [j, later] of replies.slice(i).entries()) {
        await engine.outbox.send(tenant, { platform: 'telegram', target, reply: later, idempotencyKey: `telegram:reply:${ctx.update.update_id}:${i + j}`, notBefore });
      }
      return;
    }
  }
}

/** An update's events as the ingress took them: refused (the queue is full), or their replies to come. */
type Submitted = { kind: 'busy' } | { kind: 'accepted'; inline: boolean; replies: Promise<Reply[]> };

/**
 * Records an update's events in the inbox and queues them (the ingress), in order. `inline`: so little is ahead
 * that the answer may be waited for; `busy` when the queue was full for a command or click coming first (nothing
 * recorded; the person is told to send it again). Chatter, and what follows a recorded event of the same update,
 * waits for room instead: Telegram does not send an acknowledged update again, so refusing it would lose it.
 */
async function submitAll(engine: Engine, events: ChatEvent[]): Promise<Submitted> {
  const outcomes: Promise<Reply[]>[] = [];
  let inline = true;
  for (const [i, ev] of events.entries()) {
    const accepted = i === 0 && (ev.command || ev.action) ? await engine.ingress.submit(ev) : await engine.ingress.submitWhenRoom(ev);
    if (accepted.kind === 'busy') return accepted;
    inline &&= accepted.inline;
    outcomes.push(accepted.outcome.then((out) => engine.repliesFor(out)));
  }
  return { kind: 'accepted', inline, replies: Promise.all(outcomes).then((r) => r.flat()) };
}

async function resolveAction(engine: Engine, tenant: string, data: string | null): Promise<ChatEvent['action'] | null> {
  const decoded = data === null ? null : decodeCallbackData(data);
  if (!decoded) return null;
  if (decoded.kind === 'action') return { id: decoded.id, value: decoded.value };
  const stored = await callbackStore(engine, tenant).get(decoded.key);
  return stored ? { id: stored.action, value: stored.value } : null;
}

/**
 * The clicked message shows the outcome: replaced by it when the outcome is one text message,
 * otherwise its keyboard is removed. Returns the replies still to send as new messages.
 */
async function settle(ctx: CrmContext, engine: Engine, tenant: string, replies: Reply[]): Promise<Reply[]> {
  const warn = (e: unknown) => engine.log.warn({ chat: ctx.chat?.id, err: e instanceof Error ? e.message : String(e) }, 'telegram could not edit the clicked message');
  if (replies.length === 1) {
    const { messages } = await renderAndStore(engine, tenant, replies[0]!);
    const only = messages.length === 1 && !messages[0]!.photo ? messages[0]! : null;
    if (only) {
      try {
        await ctx.editMessageText(only.text, { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(only.reply_markup ? { reply_markup: only.reply_markup } : {}) });
        return [];
      } catch (e) {
        warn(e);
      }
    }
  }
  await ctx.editMessageReplyMarkup().catch(warn);
  return replies;
}

/**
 * Routing of every update type the bot asks for; anything else is logged and dropped. Messages and clicks go
 * through the engine's ingress: recorded before grammY acknowledges the update (webhook 200, or the runner's next
 * offset), answered at once when little is queued ahead, otherwise shown as Telegram's "typing…" (a click: a
 * "queued" notice) and answered by `later` when their turn comes; with the queue full, told so and nothing is
 * recorded. An update whose process died after recording it is replayed elsewhere and answered by DM through
 * the outbox. `later` keeps such answers under way until the adapter stops.
 */
export function inboundComposer(engine: Engine, later: (answer: Promise<void>) => void): Composer<CrmContext> {
  const log = engine.log;
  const c = new Composer<CrmContext>();

  c.use(async (ctx: CrmContext, next: NextFunction) => {
    const parsed = parseUpdate(ctx.update);
    if (!parsed.ok) return log.warn({ update: ctx.update.update_id, error: parsed.error }, 'telegram update has an unexpected shape');
    // Telegram re-sends an update it thinks was not received; each update_id is handled once. What a group no
    // tenant lists says is refused by the engine, which stores nothing of it, not even this update's id (the
    // bot's own membership is still deduplicated, so the group is told once how to map it).
    const refused = !parsed.update.my_chat_member && ctx.chat !== undefined && engine.unmappedScope('telegram', String(ctx.chat.id)) !== null;
    if (!refused && !(await engine.store.system.firstSeen(`telegram:update:${parsed.update.update_id}`, engine.now()))) return;
    ctx.crm = parsed.update;
    await next();
  });

  c.on(['message', 'edited_message', 'business_message', 'edited_business_message', 'channel_post', 'edited_channel_post'], async (ctx) => {
    const { message, edited } = messageOf(ctx.crm)!;
    const inbound = fromMessage(ctx.crm.update_id, message, edited, ctx.me.username);
    if (inbound.kind === 'ignored') return log.debug({ update: ctx.crm.update_id, why: inbound.why }, 'telegram update ignored');
    const tenant = engine.tenantFor('telegram', String(message.chat.id));
    if (inbound.kind === 'notice') return answer(ctx, engine, tenant, [{ text: inbound.text }], inbound.replyTo);
    const submitted = await submitAll(engine, inbound.events);
    if (submitted.kind === 'busy') return answer(ctx, engine, tenant, [{ text: BUSY_TEXT }], inbound.replyTo);
    const respond = async (): Promise<void> => {
      const replies = await submitted.replies;
      if (inbound.greet && replies[0]) replies[0] = { ...replies[0], text: `Hello, ${inbound.greet}!\n${replies[0].text}` };
      await answer(ctx, engine, tenant, replies, inbound.replyTo);
    };
    if (submitted.inline) return respond();
    const command = inbound.events.some((ev) => ev.command);
    if (command) await ctx.replyWithChatAction('typing').catch((e: unknown) => log.warn({ chat: ctx.chat?.id, err: classifyError(e, 0) }, 'telegram typing action refused'));
    later(respond().catch((e: unknown) => log.error({ update: ctx.crm.update_id, err: String(e) }, 'telegram queued update failed')));
  });

  // Each deletion goes the core's edit path; nothing is said in the chat.
  c.on('deleted_business_messages', async (ctx) => {
    for (const ev of fromDeletedBusinessMessages(ctx.crm.update_id, ctx.crm.deleted_business_messages!, engine.now())) {
      const out = await (await engine.ingress.submitWhenRoom(ev)).outcome;
      if (out.kind !== 'done') log.warn({ messageId: ev.messageId, outcome: out.kind }, 'telegram business message deletion not applied');
    }
  });

  c.on('callback_query', async (ctx) => {
    const click = fromCallback(ctx.crm.callback_query!);
    const tenant = engine.tenantFor('telegram', click.event.scope);
    let replies: Reply[] = [];
    let queued: Promise<Reply[]> | null = null;
    let notice: string | undefined;
    let expired = false;
    try {
      const action = await resolveAction(engine, tenant, click.data);
      const submitted = action ? await submitAll(engine, [{ ...click.event, action }]) : null;
      if (!submitted) [notice, expired] = [EXPIRED, true];
      else if (submitted.kind === 'busy') notice = BUSY_TEXT;
      else if (submitted.inline) replies = await submitted.replies;
      else [notice, queued] = [QUEUED_TEXT, submitted.replies];
    } catch (e) {
      notice = FAILED;
      log.error({ chat: ctx.chat?.id, err: String(e) }, 'telegram button click failed');
    } finally {
      // Telegram shows a spinner on the button until the query is answered, whatever happened.
      await ctx.answerCallbackQuery(notice ? { text: notice } : {}).catch((e: unknown) => log.warn({ chat: ctx.chat?.id, err: classifyError(e, 0) }, 'answerCallbackQuery failed'));
    }
    const show = async (shown: Reply[]) => answer(ctx, engine, tenant, click.editable ? await settle(ctx, engine, tenant, shown) : shown, null);
    if (queued) return later(queued.then(show).catch((e: unknown) => log.error({ chat: ctx.chat?.id, err: String(e) }, 'telegram queued click failed')));
    if (notice && !expired) return;
    await show(replies);
  });

  c.on('my_chat_member', async (ctx) => {
    const m = fromMembership(ctx.crm.my_chat_member!);
    if (m.kind === 'ignored') return log.info({ chat: ctx.chat.id, why: m.why }, 'telegram bot membership changed');
    const unmapped = engine.unmappedScope('telegram', m.chatId);
    if (unmapped) return sendRendered(outletOf(ctx), render({ text: unmapped }));
    const tenant = engine.tenantFor('telegram', m.chatId);
    const hello = `Hello! I am the CRM bot. This group's chat id is ${m.chatId} and it is served by tenant "${tenant}". `
      + `To map it to a tenant, an admin adds "${m.chatId}" to that tenant's "telegramChats" list in the config file (CRM_CONFIG) and restarts the CRM. `
      + 'Type /crm help to see what I can do.';
    await sendRendered(outletOf(ctx), render({ text: hello }));
  });

  c.use((ctx) => log.debug({ update: ctx.update.update_id }, 'telegram update type not handled'));
  return c;
}
