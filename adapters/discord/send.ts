import { RESTJSONErrorCodes, Routes, type REST } from 'discord.js';
import type { Engine, OutboxItem, SendResult } from '../../core/index.js';
import { backoffMs } from '../../core/index.js';
import { messageData, restFailure } from './api.js';
import { renderAndStore } from './callbacks.js';
import { dmChannel } from './dm.js';

/**
 * The outbox sender: `discord:<user>` opens (or reuses) the DM channel, `channel:<id>` posts there.
 * Short rate limits and 5xx are waited out and retried by the REST client; what is left is told to
 * the outbox: when to try again, or that it never will (a user who cannot be messaged is marked).
 */
export function discordSender(engine: Engine, rest: REST): (item: OutboxItem) => Promise<SendResult> {
  const failed = async (item: OutboxItem, e: unknown): Promise<SendResult> => {
    const f = restFailure(e);
    if (f.kind === 'rate-limited') return { ok: false, retryAfterMs: f.retryAfterMs, reason: f.global ? 'rate limited (global)' : 'rate limited' };
    if (f.kind === 'unavailable') return { ok: false, retryAfterMs: backoffMs(item.attempts), reason: f.reason };
    if (f.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser && item.target.startsWith('discord:')) {
      await engine.store.tenant(item.tenant).identities.setReachable(item.target, false);
      return { ok: false, permanent: 'cannot send messages to this user (50007)' };
    }
    return { ok: false, permanent: `discord answered ${f.status}${f.code === null ? '' : ` code ${f.code}`}` };
  };

  return async (item) => {
    const dm = /^discord:(\d+)$/.exec(item.target);
    const posted = /^channel:(\d+)$/.exec(item.target);
    if (!dm && !posted) return { ok: false, permanent: `not a Discord target: ${item.target}` };
    try {
      const channel = dm ? await dmChannel(rest, dm[1]!) : posted![1]!;
      const [msg] = await renderAndStore(engine, item.tenant, [item.reply]);
      await rest.post(Routes.channelMessages(channel), messageData(msg!));
      return { ok: true };
    } catch (e) {
      return failed(item, e);
    }
  };
}
