import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Slack rejects nothing older; neither do we accept it, so a captured request cannot be replayed. */
export const MAX_AGE_SECONDS = 5 * 60;

export type Verdict = { ok: true } | { ok: false; reason: string };

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name];
  return typeof v === 'string' ? v : null;
}

/** `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>`: how Slack signs every request. */
export function signature(secret: string, timestamp: string, raw: Buffer | string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`;
}

/** Checks the v0 signature against the raw bytes, in constant time, and refuses stale timestamps. */
export function verifySlackRequest(headers: IncomingHttpHeaders, raw: Buffer, secret: string, nowSeconds: number): Verdict {
  const ts = header(headers, 'x-slack-request-timestamp');
  const sig = header(headers, 'x-slack-signature');
  if (!ts || !sig) return { ok: false, reason: 'missing X-Slack-Signature or X-Slack-Request-Timestamp' };
  if (!/^\d{1,12}$/.test(ts) || Math.abs(nowSeconds - Number(ts)) > MAX_AGE_SECONDS) return { ok: false, reason: 'stale or invalid request timestamp' };
  const given = Buffer.from(sig);
  const want = Buffer.from(signature(secret, ts, raw));
  if (given.length !== want.length || !timingSafeEqual(given, want)) return { ok: false, reason: 'invalid request signature' };
  return { ok: true };
}
