import type { ChatEvent } from '../../core/index.js';
import { messageSchema, type CommandInteraction, type CommandOption, type Interaction } from './payloads.js';

// Application command option types that nest further options.
const SUB_COMMAND = 1;
const SUB_COMMAND_GROUP = 2;

/** `/deal add args:"Acme 1200"` -> { name: 'deal', args: 'add Acme 1200' }: subcommand names, then option values. */
export function commandLine(data: CommandInteraction['data']): { name: string; args: string } {
  const parts: string[] = [];
  const walk = (options: CommandOption[] | undefined) => {
    for (const o of options ?? []) {
      if (o.type === SUB_COMMAND || o.type === SUB_COMMAND_GROUP) {
        parts.push(o.name);
        walk(o.options);
      } else if (o.value !== undefined && String(o.value).trim()) {
        parts.push(String(o.value).trim());
      }
    }
  };
  walk(data.options);
  return { name: data.name.toLowerCase(), args: parts.join(' ') };
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
    text: m.content,
    permalink: `https://discord.com/channels/${m.guild_id ?? '@me'}/${m.channel_id}/${m.id}`,
    occurredAt: new Date(m.timestamp).toISOString(),
  };
}
