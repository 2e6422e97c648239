import type { Logger } from '../../core/index.js';
import type { RenderedMessage } from './render.js';
import { retryAfterMs, type Rest, type RestResponse } from './rest.js';

const ATTEMPTS = 4;

/**
 * Interaction webhook calls are not outbox items (the token dies after 15 minutes), so they retry here:
 * after a 429 as told, after a 404 briefly (our HTTP answer may not have reached Discord yet), after a 5xx.
 */
async function withRetry(call: () => Promise<RestResponse>): Promise<RestResponse> {
  let res = await call();
  for (let attempt = 1; attempt < ATTEMPTS; attempt++) {
    const wait = res.status === 429 ? Math.min(retryAfterMs(res), 10_000) : res.status === 404 ? 500 * attempt : res.status >= 500 ? 1000 * attempt : null;
    if (wait === null) break;
    await new Promise((r) => setTimeout(r, wait));
    res = await call();
  }
  return res;
}

/**
 * Delivers the replies of an interaction after its HTTP answer: the first one edits the original
 * response when that was deferred, the rest are follow-up messages.
 */
export async function deliverFollowUps(
  rest: Rest, log: Logger, appId: string, token: string, messages: RenderedMessage[], editOriginal: boolean,
): Promise<void> {
  for (const [n, msg] of messages.entries()) {
    const edit = n === 0 && editOriginal;
    // The token is part of the path: it is never logged.
    const path = edit ? `/webhooks/${appId}/${token}/messages/@original` : `/webhooks/${appId}/${token}`;
    try {
      const res = await withRetry(() => rest.message(edit ? 'PATCH' : 'POST', path, msg, false));
      if (res.status >= 300) log.warn({ status: res.status, code: res.json?.code, edit }, 'discord interaction reply refused');
    } catch (e) {
      log.warn({ err: String(e), edit }, 'discord interaction reply failed');
    }
  }
}
