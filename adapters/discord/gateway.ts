import { Client, Events, GatewayIntentBits, Partials, Routes, type Message, type PartialMessage, type REST } from 'discord.js';
import type { ChatEvent, Engine, Reply } from '../../core/index.js';
import { BUSY_TEXT, backoffMs, parseCommandLine } from '../../core/index.js';
import { messageData, restFailure, restRoot } from './api.js';
import { renderAndStore } from './callbacks.js';
import { dmChannel } from './dm.js';
import { normalizeMessage, normalizeMessageDelete, normalizeMessageEdit } from './normalize.js';
import type { DiscordMessage } from './payloads.js';
import { render, type RenderedMessage } from './render.js';

/** Login failures that no retry can fix: a wrong token, or MessageContent not switched on in the portal. */
const FATAL = new Set(['TokenInvalid', 'DisallowedIntents']);

/** The same fields a MESSAGE_CREATE dispatch carries, so one normalizer serves both (and the fixtures). */
export function messagePayload(m: Message): DiscordMessage {
  return {
    id: m.id,
    channel_id: m.channelId,
    guild_id: m.guildId,
    author: { id: m.author.id, username: m.author.username, global_name: m.author.globalName, bot: m.author.bot },
    member: m.member ? { nick: m.member.nickname } : null,
    content: m.content,
    timestamp: m.createdAt.toISOString(),
    ...(m.webhookId ? { webhook_id: m.webhookId } : {}),
  };
}

/**
 * The MESSAGE_UPDATE fields of a message discord.js has just updated. A partial one (not cached, and the
 * update carried no content) has no content, and normalizeMessageEdit leaves it alone.
 */
export function editPayload(m: Message | PartialMessage): Record<string, unknown> {
  return {
    id: m.id,
    channel_id: m.channelId,
    guild_id: m.guildId,
    ...(m.author ? { author: { id: m.author.id, username: m.author.username, global_name: m.author.globalName, bot: m.author.bot } } : {}),
    ...(typeof m.content === 'string' ? { content: m.content } : {}),
    ...(m.editedAt ? { edited_timestamp: m.editedAt.toISOString() } : {}),
    ...(m.webhookId ? { webhook_id: m.webhookId } : {}),
  };
}

/**
 * A typed command's replies: in a DM, or when the core marks them public, as replies in the channel;
 * a private answer to a command typed in a server channel goes to the asker's DMs, with a pointer.
 */
export async function answerMessage(engine: Engine, rest: REST, ev: ChatEvent, replies: Reply[]): Promise<void> {
  const tenant = engine.tenantFor('discord', ev.scope);
  const post = async (channel: string, msg: RenderedMessage, replyTo: string | null) => {
    if (replyTo) msg.body.message_reference = { message_id: replyTo };
    await rest.post(Routes.channelMessages(channel), messageData(msg));
  };
  const privately = ev.scope !== null && replies.some((r) => r.visibility !== 'public');
  let dm: string | null = null;
  if (privately) {
    try {
      dm = await dmChannel(rest, ev.actor.identity.slice('discord:'.length));
    } catch (e) {
      engine.log.warn({ failure: restFailure(e) }, 'discord DM for a private answer refused');
    }
  }
  const rendered = await renderAndStore(engine, tenant, replies);
  for (const [n, r] of replies.entries()) {
    if (ev.scope === null || r.visibility === 'public') await post(ev.channel, rendered[n]!, ev.eventId);
    else if (dm) await post(dm, rendered[n]!, null);
  }
  if (privately) {
    await post(ev.channel, render({ text: dm ? 'I sent you the answer in a DM.' : 'I could not DM you the answer. Use the slash command instead: only you see its answer.' }), ev.eventId);
  }
}

/**
 * A message from the gateway: recorded in the inbox and queued (the ingress), then answered (answerMessage). A
 * typed command waiting behind others shows Discord's typing indicator until its answer comes; with the queue
 * full it is told to send it again, while chatter is only logged (nothing is recorded either way). A message
 * whose process died after recording it is replayed elsewhere and answered by DM through the outbox.
 */
export async function handleMessage(engine: Engine, rest: REST, ev: ChatEvent): Promise<void> {
  const command = parseCommandLine(ev.text) !== null;
  // Chatter is not sent again by the gateway: it waits for room rather than being dropped.
  const accepted = command ? await engine.ingress.submit(ev) : await engine.ingress.submitWhenRoom(ev);
  if (accepted.kind === 'busy') {
    // Said in reply where it was typed: it carries nothing private, and a DM would cost a call more under load.
    await answerMessage(engine, rest, ev, [{ text: BUSY_TEXT, visibility: 'public' }]);
    return;
  }
  if (command && !accepted.inline) {
    await rest.post(Routes.channelTyping(ev.channel)).catch((e: unknown) => engine.log.warn({ failure: restFailure(e) }, 'discord typing indicator refused'));
  }
  const replies = engine.repliesFor(await accepted.outcome);
  if (replies.length) await answerMessage(engine, rest, ev, replies);
}

export interface Gateway {
  stop(): Promise<void>;
}

/**
 * The gateway side (worker role): every message from a person becomes a ChatEvent; a typed command gets
 * its replies (see answerMessage). Start-up never waits for Discord: a failed login is logged and retried.
 */
export function startGateway(engine: Engine, opts: { token: string; apiUrl: string | undefined; rest: REST; pending: Set<Promise<void>> }): Gateway {
  const log = engine.log;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
    // DM channels are not cached, so without this partial discord.js drops DM messages; without the
    // message partial it drops edits and deletions of messages it has not cached (older, or before a restart).
    partials: [Partials.Channel, Partials.Message],
    // The client's own REST only fetches the gateway address: a failed login destroys the client and
    // clears its token, which must not stop replies and the outbox. Replies go through `opts.rest`.
    rest: restRoot(opts.apiUrl),
  });
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const track = (work: () => Promise<void>) => {
    const task = work()
      .catch((e) => log.error({ err: String(e), failure: restFailure(e) }, 'discord message failed'))
      .finally(() => opts.pending.delete(task));
    opts.pending.add(task);
  };
  /** Edits and deletions go the core's edit path, through the ingress like everything else; nothing is said in the channel. */
  const change = (ev: ChatEvent | null) => {
    if (!ev) return;
    track(async () => {
      const out = await (await engine.ingress.submitWhenRoom(ev)).outcome;
      if (out.kind !== 'done') log.warn({ messageId: ev.messageId, outcome: out.kind }, 'discord message change not applied');
    });
  };

  client.on(Events.MessageCreate, (m) => {
    const ev = normalizeMessage(messagePayload(m));
    if (ev) track(() => handleMessage(engine, opts.rest, ev));
  });
  client.on(Events.MessageUpdate, (old, m) => {
    // A cached message keeps its content when only embeds changed: no text edit.
    if (!old.partial && old.content === m.content) return;
    change(normalizeMessageEdit(editPayload(m)));
  });
  const deleted = (m: Message | PartialMessage) =>
    change(normalizeMessageDelete({ id: m.id, channel_id: m.channelId, guild_id: m.guildId }, m.author ? { id: m.author.id, name: m.author.globalName ?? m.author.username } : null, engine.now()));
  client.on(Events.MessageDelete, deleted);
  client.on(Events.MessageBulkDelete, (messages) => messages.forEach(deleted));
  client.on(Events.ShardError, (e) => log.warn({ err: String(e) }, 'discord gateway error; discord.js reconnects'));

  const connect = async (attempt: number): Promise<void> => {
    try {
      await client.login(opts.token);
      log.info('discord gateway connected');
    } catch (e) {
      if (stopped) return;
      const code = (e as { code?: unknown }).code;
      const fatal = typeof code === 'string' && FATAL.has(code);
      log.error({ err: String(e), code, retryInMs: fatal ? null : backoffMs(attempt) }, fatal
        ? 'discord gateway login refused; check DISCORD_BOT_TOKEN and the Message Content intent in the developer portal'
        : 'discord gateway unreachable; retrying');
      if (!fatal) retry = setTimeout(() => void connect(attempt + 1), backoffMs(attempt));
    }
  };
  void connect(0);

  return {
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client.destroy();
    },
  };
}
