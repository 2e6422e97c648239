import { webApi } from '@slack/bolt';
import type { Engine, OutboxItem, Sender, SendResult } from '../../core/index.js';
import { backoffMs, untrackedParts } from '../../core/index.js';
import type { Clients } from './client.js';
import type { Tokens } from './installations.js';
import { render } from './render.js';
import { saveStash } from './stash.js';

/** Slack errors a retry cannot fix (https://docs.slack.dev/reference/methods/chat.postMessage#errors). */
const PERMANENT = new Set(['account_inactive', 'user_not_found', 'channel_not_found', 'is_archived', 'not_in_channel', 'invalid_auth', 'token_revoked']);
/** The person behind a DM target is gone. */
const UNREACHABLE = new Set(['account_inactive', 'user_not_found']);

type Failure = Exclude<SendResult, { ok: true }>;

/** Turns a Web API error into the outbox's vocabulary: wait this long, or give up. */
export function failure(e: unknown, attempts: number): Failure {
  const err = e as { code?: string; retryAfter?: number; data?: { error?: string }; statusCode?: number; message?: string };
  if (err.code === webApi.ErrorCode.RateLimitedError) return { ok: false, retryAfterMs: (err.retryAfter ?? 1) * 1000, reason: 'rate limited by Slack' };
  if (err.code === webApi.ErrorCode.PlatformError) {
    const code = err.data?.error ?? 'unknown_error';
    if (PERMANENT.has(code)) return { ok: false, permanent: code };
    return { ok: false, retryAfterMs: backoffMs(attempts), reason: code };
  }
  if (err.code === webApi.ErrorCode.HTTPError) return { ok: false, retryAfterMs: backoffMs(attempts), reason: `HTTP ${err.statusCode}` };
  return { ok: false, retryAfterMs: backoffMs(attempts), reason: err.message ?? String(e) };
}

/** `slack:T:U` -> a DM with U in workspace T; `channel:C` -> channel C. */
export function parseTarget(target: string): { team: string; user: string } | { channel: string } | null {
  const dm = /^slack:([A-Z0-9]+):([A-Z0-9]+)$/.exec(target);
  if (dm) return { team: dm[1]!, user: dm[2]! };
  const ch = /^channel:([A-Z0-9]+)$/.exec(target);
  return ch ? { channel: ch[1]! } : null;
}

/**
 * The outbox sender: DMs through conversations.open, channel posts, data-URL charts as file uploads.
 * The message and the upload are separate parts: a retry after a failed upload does not repost the message.
 */
export function slackSender(engine: Engine, tokens: Tokens, clients: Clients): Sender {
  return async (item: OutboxItem, parts = untrackedParts()): Promise<SendResult> => {
    const target = parseTarget(item.target);
    if (!target) return { ok: false, permanent: `not a Slack target: ${item.target}` };
    const token = await tokens.forSend(item.tenant, 'team' in target ? target.team : null);
    if (!token) return { ok: false, permanent: 'Slack is not installed for this tenant' };
    const client = clients.get(token);
    try {
      let channel: string;
      if ('user' in target) {
        const im = await client.conversations.open({ users: target.user });
        if (!im.channel?.id) return { ok: false, retryAfterMs: backoffMs(item.attempts), reason: 'conversations.open returned no channel' };
        channel = im.channel.id;
      } else channel = target.channel;
      const r = render(item.reply);
      await saveStash(engine, item.tenant, r.stash);
      if ((r.message.blocks.length || !r.upload) && !parts.has('message')) {
        const posted = await client.chat.postMessage({ channel, text: r.message.text, blocks: r.message.blocks });
        await parts.delivered('message', posted.ts);
      }
      if (r.upload && !parts.has('upload')) {
        await client.files.uploadV2({ channel_id: channel, file: r.upload.data, filename: r.upload.filename, alt_text: r.upload.altText });
        await parts.delivered('upload');
      }
      return { ok: true };
    } catch (e) {
      const f = failure(e, item.attempts);
      if ('user' in target && 'permanent' in f && UNREACHABLE.has(f.permanent)) {
        await engine.store.tenant(item.tenant).identities.setReachable(item.target, false);
      }
      return f;
    }
  };
}
