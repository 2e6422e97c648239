import { createHash, timingSafeEqual } from 'node:crypto';
import { json, type HttpRequest, type HttpResponse } from './server.js';

const LOOPBACK_PEER = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isLoopbackPeer(address: string): boolean {
  return LOOPBACK_PEER.test(address);
}

/** `Authorization: Bearer <token>`, scheme in any case; null when absent or another scheme. */
export function bearerToken(header: string | string[] | undefined): string | null {
  const m = /^bearer[ \t]+(\S+)\s*$/i.exec(typeof header === 'string' ? header : '');
  return m ? m[1]! : null;
}

/** Equal secrets in constant time (hashing first makes the lengths equal too). */
export function sameSecret(given: string | null, want: string): boolean {
  if (given === null) return false;
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(given), h(want));
}

/** `/metrics`: with METRICS_TOKEN set, that Bearer token from anywhere; without it, loopback peers only. Null means allowed. */
export function metricsAllowed(req: HttpRequest, token: string | undefined): HttpResponse | null {
  if (token) {
    if (sameSecret(bearerToken(req.headers.authorization), token)) return null;
    return { ...json(401, { error: 'missing or wrong bearer token (METRICS_TOKEN)' }), headers: { 'www-authenticate': 'Bearer' } };
  }
  return isLoopbackPeer(req.remote) ? null : json(403, { error: 'metrics answer on loopback only; set METRICS_TOKEN to scrape from elsewhere' });
}
