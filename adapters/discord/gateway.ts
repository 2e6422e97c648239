import { Client, Events, GatewayIntentBits, Partials, type Message } from 'discord.js';
import type { Engine } from '../../core/index.js';
import { backoffMs } from '../../core/index.js';
import { renderAndStore } from './callbacks.js';
import { normalizeMessage } from './normalize.js';
import type { DiscordMessage } from './payloads.js';
import { DEFAULT_API_URL, type Rest } from './rest.js';

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

/** discord.js takes the API root and the version apart: https://discord.com/api/v10 -> (…/api, 10). */
export function restRoot(apiUrl: string | undefined): { api: string; version: string } {
  const m = /^(.*?)\/v(\d+)\/*$/.exec(apiUrl ?? DEFAULT_API_URL);
  return m ? { api: m[1]!, version: m[2]! } : { api: (apiUrl ?? DEFAULT_API_URL).replace(/\/+$/, ''), version: '10' };
}

export interface Gateway {
  stop(): Promise<void>;
}

/**
 * The gateway side (worker role): every message from a person becomes a ChatEvent; a typed command gets
 * its replies in the channel. Start-up never waits for Discord: a failed login is logged and retried.
 */
export function startGateway(engine: Engine, opts: { token: string; apiUrl: string | undefined; rest: Rest; pending: Set<Promise<void>> }): Gateway {
  const log = engine.log;
  const client = new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent, GatewayIntentBits.DirectMessages],
    // DM channels are not cached, so without this partial discord.js drops DM messages.
    partials: [Partials.Channel],
    rest: restRoot(opts.apiUrl),
  });
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  client.on(Events.MessageCreate, (m) => {
    const ev = normalizeMessage(messagePayload(m));
    if (!ev) return;
    const task = (async () => {
      const replies = await engine.handle(ev);
      if (!replies.length) return;
      const tenant = engine.tenantFor('discord', ev.scope);
      for (const msg of await renderAndStore(engine, tenant, replies)) {
        msg.body.message_reference = { message_id: ev.eventId! };
        const res = await opts.rest.message('POST', `/channels/${ev.channel}/messages`, msg);
        if (res.status >= 300) log.warn({ status: res.status, code: res.json?.code }, 'discord reply to a message refused');
      }
    })()
      .catch((e) => log.error({ err: String(e) }, 'discord message failed'))
      .finally(() => opts.pending.delete(task));
    opts.pending.add(task);
  });
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
