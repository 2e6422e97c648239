import type { Engine, OutboxItem, SendResult } from '../../core/index.js';
import { backoffMs } from '../../core/index.js';
import { renderAndStore } from './callbacks.js';
import { retryAfterMs, type Rest, type RestResponse } from './rest.js';

/** JSON error code: "Cannot send messages to this user" (DMs closed, no shared server, blocked). */
const CANNOT_MESSAGE_USER = 50007;

/**
 * The outbox sender: `discord:<user>` opens (or reuses) the DM channel, `channel:<id>` posts there.
 * It never retries itself; it tells the outbox when to try again or that it never will.
 */
export function discordSender(engine: Engine, rest: Rest): (item: OutboxItem) => Promise<SendResult> {
  // DM channel ids never change for a user; caching saves one call per message.
  const dmChannels = new Map<string, string>();

  const outcome = async (item: OutboxItem, res: RestResponse): Promise<SendResult | null> => {
    if (res.status < 300) return null;
    const code = typeof res.json?.code === 'number' ? res.json.code : null;
    if (res.status === 429) {
      return { ok: false, retryAfterMs: retryAfterMs(res), reason: res.json?.global ? 'rate limited (global)' : 'rate limited' };
    }
    if (res.status >= 500) return { ok: false, retryAfterMs: backoffMs(item.attempts), reason: `discord answered ${res.status}` };
    if (code === CANNOT_MESSAGE_USER && item.target.startsWith('discord:')) {
      await engine.store.tenant(item.tenant).identities.setReachable(item.target, false);
      return { ok: false, permanent: 'cannot send messages to this user (50007)' };
    }
    return { ok: false, permanent: `discord answered ${res.status}${code === null ? '' : ` code ${code}`}` };
  };

  return async (item) => {
    let channel: string;
    const dm = /^discord:(\d+)$/.exec(item.target);
    const posted = /^channel:(\d+)$/.exec(item.target);
    if (dm) {
      const cached = dmChannels.get(dm[1]!);
      if (cached) channel = cached;
      else {
        const res = await rest.call('POST', '/users/@me/channels', { recipient_id: dm[1] });
        const failed = await outcome(item, res);
        if (failed) return failed;
        if (typeof res.json?.id !== 'string') return { ok: false, retryAfterMs: backoffMs(item.attempts), reason: 'DM channel answer without id' };
        channel = res.json.id;
        dmChannels.set(dm[1]!, channel);
      }
    } else if (posted) {
      channel = posted[1]!;
    } else {
      return { ok: false, permanent: `not a Discord target: ${item.target}` };
    }
    const [msg] = await renderAndStore(engine, item.tenant, [item.reply]);
    return (await outcome(item, await rest.message('POST', `/channels/${channel}/messages`, msg!))) ?? { ok: true };
  };
}
