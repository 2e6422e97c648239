import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpRequest, HttpServer } from '../../core/index.js';
import { json } from '../../core/index.js';
import { parseUpdate, type Update } from './payloads.js';

export const WEBHOOK_PATH = '/telegram/webhook';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Compares digests so neither the content nor the length of the secret leaks through timing. */
export function secretMatches(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/**
 * `POST /telegram/webhook`: secret first (401, nothing touched), then JSON and shape (400), then the
 * update is queued and Telegram gets its 200 at once; replies go out through the Bot API.
 */
export function mountWebhook(http: HttpServer, secret: string, onUpdate: (u: Update) => void): void {
  http.route('POST', WEBHOOK_PATH, async (req: HttpRequest) => {
    if (!secretMatches(req.headers[SECRET_HEADER], secret)) return json(401, { error: 'missing or wrong X-Telegram-Bot-Api-Secret-Token' });
    let raw: unknown;
    try {
      raw = JSON.parse(req.body.toString('utf8'));
    } catch {
      return json(400, { error: 'body is not valid JSON' });
    }
    const parsed = parseUpdate(raw);
    if (!parsed.ok) return json(400, { error: parsed.error });
    onUpdate(parsed.update);
    return json(200, {});
  });
}
