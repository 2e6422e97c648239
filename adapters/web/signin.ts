import type { Engine, HttpRequest, HttpResponse } from '../../core/index.js';
import { newSecret, secretHash } from '../../core/index.js';

export const SESSION_COOKIE = 'crm_session';
const CODE = /^[A-Za-z0-9_-]{20,128}$/;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, text: string): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer', 'content-security-policy': "default-src 'none'" },
    body: `<!doctype html><meta charset="utf-8"><title>${escape(title)}</title><h1>${escape(title)}</h1><p>${escape(text)}</p>`,
  };
}

export function sessionCookie(value: string, maxAgeSeconds: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** `GET /web/signin?code=`: a one-time invite code becomes a session cookie; a bad code sets nothing. */
export async function signin(engine: Engine, req: HttpRequest): Promise<HttpResponse> {
  const ask = 'Ask an admin for a new link: /crm invite web:<your name>.';
  const code = req.query.get('code') ?? '';
  if (!CODE.test(code)) return page(400, 'This sign-in link is not valid', `The link has no code or a damaged one. ${ask}`);
  const access = engine.store.tenant(engine.tenantFor('web', null)).webAccess;
  const now = engine.now();
  const used = await access.useInvite(secretHash(code), now);
  if (used.status === 'unknown') return page(400, 'This sign-in link is not valid', `No such code. ${ask}`);
  if (used.status !== 'ok') return page(410, `This sign-in link ${used.status === 'used' ? 'was already used' : 'has expired'}`, `Each link works once, within 24 hours. ${ask}`);
  const days = engine.config.file.web.sessionDays;
  const secret = newSecret();
  await access.addSession({ hash: secretHash(secret), identity: used.identity, expiresAt: new Date(Date.parse(now) + days * 86_400_000).toISOString() }, now);
  const secure = engine.config.env.PUBLIC_URL?.startsWith('https:') ?? false;
  return { status: 303, headers: { location: '/', 'set-cookie': sessionCookie(secret, days * 86_400, secure), 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } };
}
