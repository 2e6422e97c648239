import type { ChatEvent } from '../../core/index.js';
import { parseCommandLine } from '../../core/index.js';
import type { BusinessMessagesDeleted, CallbackQuery, ChatMemberUpdated, TelegramMessage, TelegramUser, Update } from './payloads.js';

/** What a message update asks of the adapter. */
export type MessageInbound =
  /** Events for the engine, in order; answers reply to `replyTo` (the command, in groups); `greet` opens the first answer. */
  | { kind: 'events'; events: ChatEvent[]; replyTo: number | null; greet: string | null }
  /** Someone without a person behind them typed a command: tell them why nothing happens. */
  | { kind: 'notice'; text: string; replyTo: number | null }
  | { kind: 'ignored'; why: string };

export type ClickInbound = { kind: 'click'; queryId: string; data: string | null; event: ChatEvent; editable: boolean };

export type MembershipInbound = { kind: 'added'; chatId: string } | { kind: 'ignored'; why: string };

export const ANONYMOUS_NOTICE =
  'I cannot tell who you are: this was sent on behalf of the group (an anonymous admin) or of a channel. '
  + 'Turn off "Remain anonymous" in your admin rights, or write to me in a private chat, to use commands.';

export type CommandLine = { name: string; args: string } | 'elsewhere' | null;

const ADDRESSED = /^\/[A-Za-z0-9_]+@([A-Za-z0-9_]+)(?=\s|$)/;
// People also type the bot name after the subcommand (`/crm whoami@CrmTestBot`), as the menu does after the command.
const ADDRESSED_SUB = /^(\/[A-Za-z0-9_]+\s+[^\s@]+)@([A-Za-z0-9_]+)(?=\s|$)/;

/**
 * `/deal@CrmTestBot add x` -> {deal, "add x"}; a command addressed to another bot -> 'elsewhere';
 * not a command -> null. grammY knows the bot's username (getMe) before any update is handled.
 */
export function commandLine(text: string, username: string): CommandLine {
  let line = text.trim();
  const ours = (who: string) => who.toLowerCase() === username.toLowerCase();
  const sub = ADDRESSED_SUB.exec(line);
  if (sub) {
    if (!ours(sub[2]!)) return 'elsewhere';
    line = sub[1]! + line.slice(sub[0].length);
  }
  const direct = ADDRESSED.exec(line);
  if (direct && !ours(direct[1]!)) return 'elsewhere';
  return parseCommandLine(line);
}

export function displayName(u: TelegramUser): string {
  return [u.first_name, u.last_name].filter(Boolean).join(' ').trim() || u.username || String(u.id);
}

function actor(u: TelegramUser): ChatEvent['actor'] {
  return { identity: `telegram:${u.id}`, displayName: displayName(u), locale: u.language_code ?? null };
}

/** Public supergroups link by username; private ones through t.me/c/ with the -100 prefix dropped. */
export function permalink(m: Pick<TelegramMessage, 'chat' | 'message_id'>): string | null {
  if (m.chat.type !== 'supergroup') return null;
  if (m.chat.username) return `https://t.me/${m.chat.username}/${m.message_id}`;
  const id = String(m.chat.id);
  return id.startsWith('-100') ? `https://t.me/c/${id.slice(4)}/${m.message_id}` : null;
}

// Deep-link payloads are at most 64 characters of A-Z, a-z, 0-9, _ and - (https://core.telegram.org/bots/features#deep-linking).
const LINK_PAYLOAD = /^link-([A-Za-z0-9_-]{1,59})$/;

/**
 * Telegram's own commands onto the core's: `/start` greets with who you are and what you can do
 * (`/crm whoami` and `/crm help`), `/start link-<code>` links accounts (`/crm link <code>`),
 * `/help [command]` is `/crm help` or `/<command> help`.
 */
export function coreCommands(cmd: { name: string; args: string }): { lines: { name: string; args: string }[]; greet: boolean } {
  const args = cmd.args.trim();
  if (cmd.name === 'start') {
    const link = LINK_PAYLOAD.exec(args);
    if (link) return { lines: [{ name: 'crm', args: `link ${link[1]}` }], greet: false };
    return { lines: [{ name: 'crm', args: 'whoami' }, { name: 'crm', args: 'help' }], greet: true };
  }
  if (cmd.name === 'help') {
    const named = /^\/?([a-z][a-z0-9_-]{0,31})$/i.exec(args);
    return { lines: [named ? { name: named[1]!.toLowerCase(), args: 'help' } : { name: 'crm', args: 'help' }], greet: false };
  }
  return { lines: [cmd], greet: false };
}

/** The message of a message-like update, and whether it is an edit. */
export function messageOf(u: Update): { message: TelegramMessage; edited: boolean } | null {
  const m = u.message ?? u.business_message ?? u.channel_post;
  if (m) return { message: m, edited: false };
  const e = u.edited_message ?? u.edited_business_message ?? u.edited_channel_post;
  return e ? { message: e, edited: true } : null;
}

/** The message a reply answers; in a forum topic every message replies to the topic's first message, which is no reply. */
function repliedTo(m: TelegramMessage, chatId: string): string | null {
  const parent = m.reply_to_message?.message_id;
  if (parent === undefined || (m.is_topic_message && parent === m.message_thread_id)) return null;
  return `${chatId}:${parent}`;
}

/**
 * A message, edited or not, in a private chat, group, supergroup (topics too) or business chat.
 * Only people become conversation: channel posts, the linked channel's automatic forwards and
 * messages sent on behalf of a chat (anonymous admins, channels) are ignored, so they never create
 * customers; nor do the business account's own messages in its business chats. An edit carries the new
 * text for the message it names; an edited command is not run again.
 */
export function fromMessage(updateId: number, m: TelegramMessage, edited: boolean, username: string): MessageInbound {
  if (m.chat.type === 'channel') return { kind: 'ignored', why: 'channel post' };
  if (m.is_automatic_forward) return { kind: 'ignored', why: 'automatic forward from the linked channel' };
  const text = m.text ?? m.caption ?? '';
  const cmd = commandLine(text, username);
  const replyTo = m.chat.type === 'private' ? null : m.message_id;
  if (m.sender_chat) {
    if (cmd && cmd !== 'elsewhere' && !edited) return { kind: 'notice', text: ANONYMOUS_NOTICE, replyTo };
    return { kind: 'ignored', why: 'sent on behalf of a chat (anonymous admin or channel)' };
  }
  if (!m.from) return { kind: 'ignored', why: 'message without a sender' };
  if (m.from.is_bot) return { kind: 'ignored', why: 'message from a bot' };
  // In a business chat the customer writes from the chat's own id; anything else is the business account itself.
  if (m.business_connection_id && m.from.id !== m.chat.id) return { kind: 'ignored', why: "the business account's own message" };
  if (!text.trim()) return { kind: 'ignored', why: 'message without text' };
  if (cmd === 'elsewhere') return { kind: 'ignored', why: 'command for another bot' };
  if (cmd && edited) return { kind: 'ignored', why: 'edited command (a command runs once)' };
  const chatId = String(m.chat.id);
  const event: ChatEvent = {
    platform: 'telegram', scope: chatId, actor: actor(m.from), channel: chatId, eventId: String(updateId), text,
    permalink: permalink(m), messageId: `${chatId}:${m.message_id}`,
    ...(repliedTo(m, chatId) ? { inReplyTo: repliedTo(m, chatId) } : {}),
    ...(edited ? { edit: 'changed' as const } : {}),
    occurredAt: new Date((edited ? m.edit_date ?? m.date : m.date) * 1000).toISOString(),
  };
  if (!cmd) return { kind: 'events', events: [event], replyTo: null, greet: null };
  const { lines, greet } = coreCommands(cmd);
  return {
    kind: 'events',
    // Each core command has its own event id, so a redelivered /start still runs each of them once.
    events: lines.map((command, i) => ({ ...event, eventId: i ? `${updateId}:${i}` : event.eventId, command })),
    replyTo,
    greet: greet ? m.from.first_name : null,
  };
}

/**
 * Messages deleted from a business account's chat: one deletion per message, naming it as its message event
 * did (`<chat>:<message_id>`) so the stored copy is marked deleted. The update says nothing of who deleted
 * them; a business chat's id is the customer's own, so they are the actor.
 */
export function fromDeletedBusinessMessages(updateId: number, d: BusinessMessagesDeleted, now: string): ChatEvent[] {
  const chatId = String(d.chat.id);
  const name = [d.chat.first_name, d.chat.last_name].filter(Boolean).join(' ') || d.chat.username || chatId;
  return d.message_ids.map((id) => ({
    platform: 'telegram', scope: chatId, actor: { identity: `telegram:${chatId}`, displayName: name }, channel: chatId,
    eventId: `${updateId}:deleted:${id}`, text: '', messageId: `${chatId}:${id}`, edit: 'deleted', occurredAt: now,
  }));
}

/** A click on one of our inline buttons; the clicked message can be edited unless it is gone or inline. */
export function fromCallback(q: CallbackQuery): ClickInbound {
  // An inline-mode message has no chat: the answer goes to the person who clicked.
  const chatId = String(q.message?.chat.id ?? q.from.id);
  return {
    kind: 'click', queryId: q.id, data: q.data ?? null, editable: !!q.message && q.message.date !== 0,
    event: { platform: 'telegram', scope: chatId, actor: actor(q.from), channel: chatId, eventId: `cb:${q.id}`, text: '' },
  };
}

const OUT = ['left', 'kicked'];
const IN = ['member', 'administrator'];

/** The bot's own membership: only being added to a group or supergroup asks for something (one hello). */
export function fromMembership(m: ChatMemberUpdated): MembershipInbound {
  const from = m.old_chat_member.status;
  const to = m.new_chat_member.status;
  if (m.chat.type !== 'group' && m.chat.type !== 'supergroup') return { kind: 'ignored', why: `membership in a ${m.chat.type} chat` };
  if (OUT.includes(from) && IN.includes(to)) return { kind: 'added', chatId: String(m.chat.id) };
  return { kind: 'ignored', why: `membership changed from ${from} to ${to}` };
}
