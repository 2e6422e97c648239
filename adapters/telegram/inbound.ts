import { Composer, type Context, type NextFunction } from 'grammy';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import { BUSY_TEXT, QUEUED_TEXT } from '../../core/index.js';
import { answerClick, answerIn, greeted, type AnswerAddress } from './answer.js';
import { decodeCallbackData } from './callback-data.js';
import { fromCallback, fromDeletedBusinessMessages, fromMembership, fromMessage, messageOf } from './normalize.js';
import { parseUpdate, type Update } from './payloads.js';
import { render } from './render.js';
import { apiOutlet, callbackStore, classifyError, sendRendered } from './send.js';

const EXPIRED = 'This button has expired';
const FAILED = 'Something went wrong; please try again.';

/** grammY's context plus the update as our schema validated it. */
export type CrmContext = Context & { crm: Update };

/**
 * Where this update is answered (as `ctx.reply` would: its topic, its business connection); a click on an
 * inline-mode message has no chat, so the clicker's private chat. `clicked`: the message a click was made on, when it can be edited.
 */
function addressOf(ctx: CrmContext, replyTo: number | null, greet: string | null, clicked?: number): AnswerAddress {
  const thread = ctx.msg?.is_topic_message ? ctx.msg.message_thread_id : undefined;
  const business = ctx.businessConnectionId;
  return {
    via: 'chat', chat: ctx.chat?.id ?? ctx.from!.id, private: ctx.chat?.type === 'private',
    ...(thread ? { thread } : {}), ...(business ? { business } : {}), ...(replyTo ? { replyTo } : {}), ...(greet ? { greet } : {}), ...(clicked ? { clicked } : {}),
  };
}

/**
 * An update's events as the ingress took them: refused (the queue is full), or accepted: `replies`, those of the
 * events answered here (so little was ahead that they were waited for), and whether others were `queued` (they
 * carry `address` and are answered where they are handled).
 */
type Submitted = { kind: 'busy' } | { kind: 'accepted'; queued: boolean; replies: Promise<Reply[]> };

/**
 * Records an update's events in the inbox and queues them (the ingress), in order. `busy` when the queue was full
 * for a command or click coming first (nothing recorded; the person is told to send it again). Chatter, and what
 * follows a recorded event of the same update, waits for room instead: Telegram does not send an acknowledged
 * update again, so refusing it would lose it. Only the first event greets.
 */
async function submitAll(engine: Engine, events: ChatEvent[], address: AnswerAddress): Promise<Submitted> {
  const { greet, ...rest } = address;
  const here: Promise<Reply[]>[] = [];
  let queued = false;
  for (const [i, ev] of events.entries()) {
    const queuedAnswer = i === 0 ? address : rest;
    const accepted = i === 0 && (ev.command || ev.action) ? await engine.ingress.submit(ev, { queuedAnswer }) : await engine.ingress.submitWhenRoom(ev, { queuedAnswer });
    if (accepted.kind === 'busy') return accepted;
    if (accepted.inline) here.push(accepted.outcome.then((out) => greeted(engine.repliesFor(out), i === 0 ? greet : undefined)));
    else {
      queued = true;
      // Answered (a failure too) and logged where it is handled.
      accepted.outcome.catch(() => undefined);
    }
  }
  return { kind: 'accepted', queued, replies: Promise.all(here).then((r) => r.flat()) };
}

async function resolveAction(engine: Engine, tenant: string, data: string | null): Promise<ChatEvent['action'] | null> {
  const decoded = data === null ? null : decodeCallbackData(data);
  if (!decoded) return null;
  if (decoded.kind === 'action') return { id: decoded.id, value: decoded.value };
  const stored = await callbackStore(engine, tenant).get(decoded.key);
  return stored ? { id: stored.action, value: stored.value } : null;
}

/**
 * Routing of every update type the bot asks for; anything else is logged and dropped. Messages and clicks go
 * through the engine's ingress: recorded before grammY acknowledges the update (webhook 200, or the runner's next
 * offset), answered at once when little is queued ahead, otherwise shown as Telegram's "typing…" (a click: a
 * "queued" notice) and answered in its chat when its turn comes, where it is handled, from the address its events
 * carry (the adapter's `answer` hook); so is an update replayed after its process died. With the queue full, told
 * so and nothing is recorded. `later` keeps answers given here under way until the adapter stops.
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
    const key = `telegram:reply:${ctx.crm.update_id}`;
    if (inbound.kind === 'notice') return answerIn(ctx.api, engine, tenant, addressOf(ctx, inbound.replyTo, null), [{ text: inbound.text }], key);
    const address = addressOf(ctx, inbound.replyTo, inbound.greet);
    const submitted = await submitAll(engine, inbound.events, address);
    const respond = (replies: Reply[]) => answerIn(ctx.api, engine, tenant, address, replies, key);
    if (submitted.kind === 'busy') return respond([{ text: BUSY_TEXT }]);
    if (!submitted.queued) return respond(await submitted.replies);
    const command = inbound.events.some((ev) => ev.command);
    if (command) await ctx.replyWithChatAction('typing').catch((e: unknown) => log.warn({ chat: ctx.chat?.id, err: classifyError(e, 0) }, 'telegram typing action refused'));
    // Queued events are answered where they are handled; only those recorded before the queue filled are answered here.
    later(submitted.replies.then(respond).catch((e: unknown) => log.error({ update: ctx.crm.update_id, err: String(e) }, 'telegram update failed')));
  });

  // Each deletion goes the core's edit path; nothing is said in the chat.
  c.on('deleted_business_messages', async (ctx) => {
    for (const ev of fromDeletedBusinessMessages(ctx.crm.update_id, ctx.crm.deleted_business_messages!, engine.now())) {
      const out = await (await engine.ingress.submitWhenRoom(ev)).outcome;
      if (out.kind !== 'done') log.warn({ messageId: ev.messageId, outcome: out.kind }, 'telegram business message deletion not applied');
    }
  });

  c.on('callback_query', async (ctx) => {
    const q = ctx.crm.callback_query!;
    const click = fromCallback(q);
    const tenant = engine.tenantFor('telegram', click.event.scope);
    const address = addressOf(ctx, null, null, click.editable ? q.message?.message_id : undefined);
    let replies: Reply[] = [];
    let notice: string | undefined;
    let expired = false;
    try {
      const action = await resolveAction(engine, tenant, click.data);
      const submitted = action ? await submitAll(engine, [{ ...click.event, action }], address) : null;
      if (!submitted) [notice, expired] = [EXPIRED, true];
      else if (submitted.kind === 'busy') notice = BUSY_TEXT;
      // Queued: its outcome is shown on the clicked message where it is handled.
      else if (submitted.queued) notice = QUEUED_TEXT;
      else replies = await submitted.replies;
    } catch (e) {
      notice = FAILED;
      log.error({ chat: ctx.chat?.id, err: String(e) }, 'telegram button click failed');
    } finally {
      // Telegram shows a spinner on the button until the query is answered, whatever happened.
      await ctx.answerCallbackQuery(notice ? { text: notice } : {}).catch((e: unknown) => log.warn({ chat: ctx.chat?.id, err: classifyError(e, 0) }, 'answerCallbackQuery failed'));
    }
    if (notice && !expired) return;
    await answerClick(ctx.api, engine, tenant, address, replies, `telegram:reply:${ctx.crm.update_id}`);
  });

  c.on('my_chat_member', async (ctx) => {
    const m = fromMembership(ctx.crm.my_chat_member!);
    if (m.kind === 'ignored') return log.info({ chat: ctx.chat.id, why: m.why }, 'telegram bot membership changed');
    const unmapped = engine.unmappedScope('telegram', m.chatId);
    if (unmapped) return sendRendered(apiOutlet(ctx.api, ctx.chat.id, null), render({ text: unmapped }));
    const tenant = engine.tenantFor('telegram', m.chatId);
    const hello = `Hello! I am the CRM bot. This group's chat id is ${m.chatId} and it is served by tenant "${tenant}". `
      + `To map it to a tenant, an admin adds "${m.chatId}" to that tenant's "telegramChats" list in the config file (CRM_CONFIG) and restarts the CRM. `
      + 'Type /crm help to see what I can do.';
    await sendRendered(apiOutlet(ctx.api, ctx.chat.id, null), render({ text: hello }));
  });

  c.use((ctx) => log.debug({ update: ctx.update.update_id }, 'telegram update type not handled'));
  return c;
}
