import type { ChatEvent, CommandRegistry } from '../../core/index.js';
import { messageDeleteSchema, messageEditSchema, messageSchema, type CommandInteraction, type CommandOption, type Interaction } from './payloads.js';
import { quoted, usageShape, valueText } from './usage.js';

// Application command option types that nest further options.
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;
const USER = 6;

/** The subcommand path (`['deal', 'add']`) and the value options of the innermost one. */
export function commandPath(data: CommandInteraction['data']): { path: string[]; options: CommandOption[] } {
  const path = [data.name.toLowerCase()];
  let options = data.options ?? [];
  for (;;) {
    const nested = options.find((o) => o.type === SUB_COMMAND || o.type === SUB_COMMAND_GROUP);
    if (!nested) return { path, options };
    path.push(nested.name);
    options = nested.options ?? [];
  }
}

/**
 * Typed options back into the command text the core parses, in the order and with the prefixes of the
 * subcommand's usage line: `/deal add customer:C-3 amount:1200 stage:won` -> `add C-3 1200 stage:won`.
 * USER options and pasted `<@id>` mentions become `discord:<id>`. Options the usage does not name
 * (the free `args` string) follow as typed.
 */
export function commandLine(data: CommandInteraction['data'], registry: CommandRegistry | null): { name: string; args: string } {
  const { path, options } = commandPath(data);
  const [name, ...subs] = path;
  const users = data.resolved?.users ?? {};
  const given = new Map(options.filter((o) => o.value !== undefined && String(o.value).trim()).map((o) => [o.name, o]));
  const sub = registry?.get(name!)?.subcommands.find((s) => s.name === subs.at(-1));
  const shape = sub ? usageShape(name!, sub.usage) : null;
  const words: string[] = [...subs];
  if (shape) {
    const lastGiven = [...shape.parts].reverse().find((p) => 'option' in p && given.has(p.option.name));
    shape.parts.forEach((p, i) => {
      if ('literal' in p) {
        // A literal is written when an option after it is (`to` before the audience).
        if (shape.parts.slice(i + 1).some((q) => 'option' in q && given.has(q.option.name))) words.push(p.literal);
        return;
      }
      const o = given.get(p.option.name);
      if (!o) return;
      given.delete(p.option.name);
      // `key:` options are one word to the core's tokenizer, so their spaces are always quoted.
      words.push(p.option.prefix + quoted(valueText(p.option, o.value!, users), p === lastGiven && !p.option.prefix.endsWith(':')));
    });
  }
  for (const o of given.values()) words.push(valueText({ name: o.name, kind: o.type === USER ? 'user' : 'string', required: false, prefix: '', usage: '' }, o.value!, users));
  return { name: name!, args: words.join(' ') };
}

/**
 * The common part of an interaction as a ChatEvent: the actor is member.user in a guild, user in a DM;
 * a DM has no guild, so its scope is null and it lands in the default tenant. Null when no user came.
 */
export function interactionEvent(i: Interaction): Omit<ChatEvent, 'text'> | null {
  const user = i.member?.user ?? i.user;
  if (!user) return null;
  return {
    platform: 'discord',
    scope: i.guild_id ?? null,
    actor: { identity: `discord:${user.id}`, displayName: i.member?.nick ?? user.global_name ?? user.username, locale: i.locale ?? null },
    channel: i.channel_id ?? '',
    eventId: i.id,
  };
}

const permalinkOf = (guild: string | null | undefined, channel: string, id: string) => `https://discord.com/channels/${guild ?? '@me'}/${channel}/${id}`;

/** A MESSAGE_CREATE payload as a ChatEvent; null for bots, webhooks and shapes that do not validate. */
export function normalizeMessage(raw: unknown): ChatEvent | null {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  if (m.author.bot || m.webhook_id) return null;
  return {
    platform: 'discord',
    scope: m.guild_id ?? null,
    actor: { identity: `discord:${m.author.id}`, displayName: m.member?.nick ?? m.author.global_name ?? m.author.username },
    channel: m.channel_id,
    eventId: m.id,
    // A typed command may name people by pasting mentions; the core's grammar knows them as identities.
    text: m.content.startsWith('/') ? m.content.replace(/<@!?(\d{1,25})>/g, 'discord:$1') : m.content,
    messageId: m.id,
    ...(m.message_reference?.message_id && (m.message_reference.type ?? 0) === 0 ? { inReplyTo: m.message_reference.message_id } : {}),
    permalink: permalinkOf(m.guild_id, m.channel_id, m.id),
    occurredAt: new Date(m.timestamp).toISOString(),
  };
}

/**
 * A MESSAGE_UPDATE payload as an edit of the stored message (messageId as MESSAGE_CREATE set it); null for
 * bots, webhooks and updates that change no text. Its event id names the edit time, so a redelivered update
 * (or a later unfurl carrying the same edit) applies once while a second edit still applies.
 */
export function normalizeMessageEdit(raw: unknown): ChatEvent | null {
  const parsed = messageEditSchema.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  if (m.author.bot || m.webhook_id) return null;
  const editedAt = new Date(m.edited_timestamp).toISOString();
  return {
    platform: 'discord',
    scope: m.guild_id ?? null,
    actor: { identity: `discord:${m.author.id}`, displayName: m.author.global_name ?? m.author.username },
    channel: m.channel_id,
    eventId: `${m.id}:edited:${editedAt}`,
    text: m.content,
    messageId: m.id,
    edit: 'changed',
    permalink: permalinkOf(m.guild_id, m.channel_id, m.id),
    occurredAt: editedAt,
  };
}

/**
 * A MESSAGE_DELETE payload as a deletion of the stored message. The payload names no author: discord.js
 * passes the one it had cached, else the channel stands in (the edit path stores nothing of the actor; only
 * the rate limiter counts it).
 */
export function normalizeMessageDelete(raw: unknown, author: { id: string; name: string } | null, now: string): ChatEvent | null {
  const parsed = messageDeleteSchema.safeParse(raw);
  if (!parsed.success) return null;
  const m = parsed.data;
  return {
    platform: 'discord',
    scope: m.guild_id ?? null,
    actor: author ? { identity: `discord:${author.id}`, displayName: author.name } : { identity: `discord:channel:${m.channel_id}`, displayName: `#${m.channel_id}` },
    channel: m.channel_id,
    eventId: `${m.id}:deleted`,
    text: '',
    messageId: m.id,
    edit: 'deleted',
    occurredAt: now,
  };
}
