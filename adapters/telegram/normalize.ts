import type { ChatEvent } from '../../core/index.js';
import { parseCommandLine } from '../../core/index.js';
import type { CallbackQuery, TelegramChat, TelegramMessage, TelegramUser, Update } from './payloads.js';

/** What one update asks of the adapter. */
export type Inbound =
  | { kind: 'event'; chatId: string; event: ChatEvent }
  | { kind: 'click'; chatId: string; queryId: string; data: string | null; event: ChatEvent }
  | { kind: 'membership'; chatId: string; chatType: TelegramChat['type']; from: string; to: string }
  | { kind: 'ignored'; why: string };

export type CommandLine = { name: string; args: string } | 'elsewhere' | null;

const ADDRESSED = /^\/[A-Za-z0-9_]+@([A-Za-z0-9_]+)(?=\s|$)/;
// People also type the bot name after the subcommand (`/crm whoami@CrmTestBot`), as the menu does after the command.
const ADDRESSED_SUB = /^(\/[A-Za-z0-9_]+\s+[^\s@]+)@([A-Za-z0-9_]+)(?=\s|$)/;

/**
 * `/deal@CrmTestBot add x` -> {deal, "add x"}; a command addressed to another bot -> 'elsewhere';
 * not a command -> null. Without a known username every addressee counts as us.
 */
export function commandLine(text: string, username: string | null): CommandLine {
  let line = text.trim();
  const ours = (who: string) => username === null || who.toLowerCase() === username.toLowerCase();
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

function fromMessage(updateId: number, m: TelegramMessage, username: string | null): Inbound {
  if (m.chat.type === 'channel') return { kind: 'ignored', why: 'channel post' };
  if (!m.from) return { kind: 'ignored', why: 'message without a sender' };
  const text = m.text ?? m.caption ?? '';
  if (!text.trim()) return { kind: 'ignored', why: 'message without text' };
  const cmd = commandLine(text, username);
  if (cmd === 'elsewhere') return { kind: 'ignored', why: 'command for another bot' };
  const chatId = String(m.chat.id);
  return {
    kind: 'event',
    chatId,
    event: {
      platform: 'telegram', scope: chatId, actor: actor(m.from), channel: chatId, eventId: String(updateId), text,
      ...(cmd ? { command: cmd } : {}),
      permalink: permalink(m), occurredAt: new Date(m.date * 1000).toISOString(),
    },
  };
}

function fromCallback(q: CallbackQuery): Inbound {
  // An inline-mode message has no chat: the answer goes to the person who clicked.
  const chatId = String(q.message?.chat.id ?? q.from.id);
  return {
    kind: 'click', chatId, queryId: q.id, data: q.data ?? null,
    event: { platform: 'telegram', scope: chatId, actor: actor(q.from), channel: chatId, eventId: `cb:${q.id}`, text: '' },
  };
}

/** Pure: a validated update -> what to do with it. */
export function normalize(u: Update, username: string | null): Inbound {
  if (u.message) return fromMessage(u.update_id, u.message, username);
  if (u.callback_query) return fromCallback(u.callback_query);
  if (u.my_chat_member) {
    const m = u.my_chat_member;
    return { kind: 'membership', chatId: String(m.chat.id), chatType: m.chat.type, from: m.old_chat_member.status, to: m.new_chat_member.status };
  }
  return { kind: 'ignored', why: 'update type not handled' };
}
