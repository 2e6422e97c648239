import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ChatEvent, Engine, HttpRequest, HttpResponse, HttpServer } from '../../core/index.js';
import { bearerToken, json, sameSecret, secretHash } from '../../core/index.js';
import { cookie, hostAllowed, isJson, originAllowed, webMode } from './trust.js';
import { SESSION_COOKIE, sessionCookie, signin } from './signin.js';
import { once, validKey } from './idempotency.js';
import { INBOX_ANSWER } from './answer.js';

const user = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'user must be 1-64 letters, digits, dot, dash or underscore');
const MAX_TEXT = 4000;
const messageBody = z.object({ user: user.optional(), text: z.string().max(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`) }).strict();
const actionBody = z.object({ user: user.optional(), action: z.string().min(1).max(64), value: z.string().max(2000) }).strict();
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Who is calling: the loopback trial (anyone local), the integration key (may name any user), or a person's session. */
type Caller = { kind: 'trial' } | { kind: 'integration' } | { kind: 'session'; name: string; hash: string };

type Result<T> = { ok: true; value: T } | { ok: false; res: HttpResponse };
const refuse = (status: number, error: string, extra: object = {}): { ok: false; res: HttpResponse } => ({ ok: false, res: json(status, { error, ...extra }) });

/** Parses and validates a JSON body; the error names what was wrong. Bytes that are not UTF-8 are refused, not repaired. */
function body<T>(req: HttpRequest, schema: z.ZodType<T>): Result<T> {
  let text: string;
  try {
    text = utf8.decode(req.body);
  } catch {
    return refuse(400, 'body is not valid UTF-8');
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return refuse(400, 'body is not valid JSON');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return refuse(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
  return { ok: true, value: parsed.data };
}

/** The user a call acts as: a session acts as itself only; the trial and the integration key name one. */
function actingUser(caller: Caller, named: string | undefined): Result<string> {
  if (caller.kind === 'session') {
    if (named !== undefined && named !== caller.name) return refuse(403, `signed in as ${caller.name}: you cannot act as ${named}`);
    return { ok: true, value: caller.name };
  }
  return named === undefined ? refuse(400, 'user: say which web user (1-64 letters, digits, dot, dash or underscore)') : { ok: true, value: named };
}

/** The JSON API of the contract; the page and the tests speak only this. */
export function mountWebApi(http: HttpServer, engine: Engine, token: string | undefined): void {
  const { env } = engine.config;
  const mode = webMode(env);
  const tenant = () => engine.store.tenant(engine.tenantFor('web', null));
  const header = (req: HttpRequest, name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };

  /** Browser-level refusals first: a foreign page (Origin) or a rebound name (Host) gets 403 before anything is read. */
  const place = (req: HttpRequest): HttpResponse | null => {
    if (!originAllowed(header(req, 'origin'), header(req, 'host'), env.PUBLIC_URL)) return json(403, { error: 'requests from another site are refused' });
    if (mode === 'trial' && !hostAllowed(header(req, 'host'), env.PUBLIC_URL)) return json(403, { error: 'unknown Host: the trial answers on localhost, 127.0.0.1, [::1] or the host of PUBLIC_URL' });
    return null;
  };

  const identify = async (req: HttpRequest): Promise<Caller | null> => {
    if (mode === 'trial') return { kind: 'trial' };
    const given = bearerToken(req.headers.authorization);
    if (given !== null) return token && sameSecret(given, token) ? { kind: 'integration' } : null;
    const secret = cookie(header(req, 'cookie'), SESSION_COOKIE);
    if (!secret) return null;
    const hash = secretHash(secret);
    const s = await tenant().webAccess.session(hash, engine.now());
    return s ? { kind: 'session', name: s.identity.slice('web:'.length), hash } : null;
  };

  const guard = (h: (req: HttpRequest, caller: Caller) => Promise<HttpResponse>) => async (req: HttpRequest): Promise<HttpResponse> => {
    const refused = place(req);
    if (refused) return refused;
    const caller = await identify(req);
    if (!caller) return json(401, { error: 'sign in first: open the link an admin sends with /crm invite, or send the integration key as a Bearer token', signin: true });
    if (req.method === 'POST' && !isJson(header(req, 'content-type'))) return json(415, { error: 'send the body as Content-Type: application/json' });
    return h(req, caller);
  };

  /**
   * One chat event through the engine, answered in HTTP terms: the replies when little is queued ahead of it,
   * 202 when it is queued (answer in the inbox), 503 with Retry-After when the queue is full, 429 over the
   * limit, 503 when nothing could be saved.
   */
  const handle = async (req: HttpRequest, caller: Caller, u: string, fields: Pick<ChatEvent, 'text' | 'action'>): Promise<HttpResponse> => {
    const ev: ChatEvent = {
      platform: 'web', scope: null, actor: { identity: `web:${u}`, displayName: u }, channel: 'web',
      // Random ids: two processes, or one after a restart, never mistake each other's requests for retries.
      eventId: randomUUID(), source: `web:${req.remote}`, session: caller.kind === 'session' ? caller.hash : null, ...fields,
    };
    const accepted = await engine.ingress.submit(ev, { queuedAnswer: INBOX_ANSWER });
    if (accepted.kind === 'busy') return { ...json(503, { error: 'busy: too many requests at once. Nothing was saved; send it again in a second' }), headers: { 'retry-after': '1' } };
    // Recorded, and others are ahead of it: the answer goes to the inbox (GET /web/api/inbox, which the page polls) from where it is handled.
    if (!accepted.inline) return json(202, { replies: [], queued: true });
    const out = await accepted.outcome;
    if (out.kind === 'throttled') {
      return { ...json(429, { error: engine.commands.refuse(out.error, null).text }), headers: { 'retry-after': String(Math.ceil(out.retryMs / 1000)) } };
    }
    if (out.kind === 'unavailable') return { ...json(503, { error: `not done: ${out.reason}. Nothing was saved; try again shortly` }), headers: { 'retry-after': '5' } };
    const res = json(200, { replies: out.replies });
    // `/crm signout` ended this session: the browser forgets the cookie too.
    if (caller.kind === 'session' && !(await tenant().webAccess.session(caller.hash, engine.now()))) res.headers = { 'set-cookie': sessionCookie('', 0, env.PUBLIC_URL?.startsWith('https:') ?? false) };
    return res;
  };

  /** A POST that changes things: validated, then run once per Idempotency-Key; a store that cannot write answers 503. */
  const post = <T extends { user?: string }>(schema: z.ZodType<T>, fields: (b: T) => Pick<ChatEvent, 'text' | 'action'>) => guard(async (req, caller) => {
    const b = body(req, schema);
    if (!b.ok) return b.res;
    const u = actingUser(caller, b.value.user);
    if (!u.ok) return u.res;
    const key = header(req, 'idempotency-key');
    if (key !== undefined && !validKey(key)) return json(400, { error: 'Idempotency-Key must be 1-255 visible ASCII characters' });
    const run = () => handle(req, caller, u.value, fields(b.value));
    try {
      return key === undefined ? await run() : await once(engine, `web:${u.value}`, key, `${req.path}\n${req.body.toString('base64')}`, run);
    } catch (e) {
      if (!engine.health.note(e)) throw e;
      return { ...json(503, { error: `not done: ${engine.health.degraded!.reason}. Nothing was saved; try again shortly` }), headers: { 'retry-after': '5' } };
    }
  });

  http.route('POST', '/web/api/message', post(messageBody, (b) => ({ text: b.text })));
  http.route('POST', '/web/api/action', post(actionBody, (b) => ({ text: '', action: { id: b.action, value: b.value } })));

  http.route('GET', '/web/api/inbox', guard(async (req, caller) => {
    const named = req.query.get('user');
    const parsed = named === null ? undefined : user.safeParse(named);
    if (parsed && !parsed.success) return json(400, { error: parsed.error.issues[0]!.message });
    const u = actingUser(caller, parsed?.data);
    if (!u.ok) return u.res;
    const items = await tenant().outbox.delivered(`web:${u.value}`, 200);
    return json(200, { messages: items.map((i) => ({ ...i.reply, at: i.sentAt })) });
  }));

  http.route('GET', '/web/api/commands', guard(async () =>
    json(200, {
      commands: engine.commands.list().map((c) => ({
        name: c.name, summary: c.summary,
        subcommands: c.subcommands.map((s) => ({ name: s.name, usage: s.usage, summary: s.summary, roles: s.roles })),
      })),
    })));

  // Answers without a credential: the page asks it first to know whether to show the sign-in screen.
  http.route('GET', '/web/api/session', async (req) => {
    const refused = place(req);
    if (refused) return refused;
    const caller = await identify(req);
    return json(200, { user: caller?.kind === 'session' ? caller.name : null, mode });
  });

  http.route('GET', '/web/signin', async (req) => place(req) ?? signin(engine, req));
}
