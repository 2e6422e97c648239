import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Engine, HttpRequest, HttpResponse, HttpServer } from '../../core/index.js';
import { json } from '../../core/index.js';

const user = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'user must be 1-64 letters, digits, dot, dash or underscore');
const MAX_TEXT = 4000;
const messageBody = z.object({ user, text: z.string().max(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`) }).strict();
const actionBody = z.object({ user, action: z.string().min(1).max(64), value: z.string().max(2000) }).strict();

/** Parses and validates a JSON body; the error names what was wrong. */
function body<T>(req: HttpRequest, schema: z.ZodType<T>): { ok: true; value: T } | { ok: false; res: HttpResponse } {
  let raw: unknown;
  try {
    raw = JSON.parse(req.body.toString('utf8'));
  } catch {
    return { ok: false, res: json(400, { error: 'body is not valid JSON' }) };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, res: json(400, { error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') }) };
  return { ok: true, value: parsed.data };
}

function authorized(req: HttpRequest, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(String(req.headers.authorization ?? ''));
  const want = Buffer.from(`Bearer ${token}`);
  return given.length === want.length && timingSafeEqual(given, want);
}

let seq = 0;

/** The JSON API of the contract; the page and the tests speak only this. */
export function mountWebApi(http: HttpServer, engine: Engine, token: string | undefined): void {
  const guard = (h: (req: HttpRequest) => Promise<HttpResponse>) => async (req: HttpRequest) =>
    authorized(req, token) ? h(req) : json(401, { error: 'missing or wrong bearer token' });
  const event = (u: string, text: string) => ({
    platform: 'web' as const, scope: null, actor: { identity: `web:${u}`, displayName: u }, channel: 'web',
    eventId: `${Date.now()}-${process.pid}-${++seq}`, text,
  });

  http.route('POST', '/web/api/message', guard(async (req) => {
    const b = body(req, messageBody);
    if (!b.ok) return b.res;
    return json(200, { replies: await engine.handle(event(b.value.user, b.value.text)) });
  }));

  http.route('POST', '/web/api/action', guard(async (req) => {
    const b = body(req, actionBody);
    if (!b.ok) return b.res;
    return json(200, { replies: await engine.handle({ ...event(b.value.user, ''), action: { id: b.value.action, value: b.value.value } }) });
  }));

  http.route('GET', '/web/api/inbox', guard(async (req) => {
    const u = user.safeParse(req.query.get('user') ?? '');
    if (!u.success) return json(400, { error: u.error.issues[0]!.message });
    const tenant = engine.tenantFor('web', null);
    const items = await engine.store.tenant(tenant).outbox.delivered(`web:${u.data}`, 200);
    return json(200, { messages: items.map((i) => ({ ...i.reply, at: i.sentAt })) });
  }));

  http.route('GET', '/web/api/commands', guard(async () =>
    json(200, {
      commands: engine.commands.list().map((c) => ({
        name: c.name, summary: c.summary,
        subcommands: c.subcommands.map((s) => ({ name: s.name, usage: s.usage, summary: s.summary, roles: s.roles })),
      })),
    })));
}
