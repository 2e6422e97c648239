import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from '../helpers/app.js';
import { JSON_TYPE, postJson, raw, snapshot } from './http.js';

describe('loopback trial: only this machine\'s own pages drive it', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:admin' });
    await say(app, 'admin', '/customer add Acme');
  });
  afterAll(() => app.stop());

  it('refuses a foreign Origin, a rebound Host, a non-JSON POST and bytes that are not UTF-8, and changes nothing', async () => {
    const before = snapshot(app);
    const attempt = { user: 'admin', text: '/crm role web:mallory admin' };
    const refusals = await Promise.all([
      postJson(app, '/web/api/message', attempt, { origin: 'https://evil.example' }),
      postJson(app, '/web/api/message', attempt, { origin: 'null' }),
      postJson(app, '/web/api/message', attempt, { host: 'evil.example:3000' }),
      postJson(app, '/web/api/message', attempt, { host: 'evil.example', origin: 'http://evil.example' }),
      raw(app, { method: 'POST', path: '/web/api/message', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(attempt) }),
      raw(app, { method: 'POST', path: '/web/api/message', body: JSON.stringify(attempt) }),
      raw(app, { method: 'POST', path: '/web/api/action', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'user=admin&action=crm.role&value=x' }),
      raw(app, { method: 'POST', path: '/web/api/message', headers: JSON_TYPE, body: Buffer.concat([Buffer.from('{"user":"admin","text":"/customer add '), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]) }),
      raw(app, { path: '/web/api/inbox?user=admin', headers: { host: 'rebind.attacker.test' } }),
    ]);
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403, 415, 415, 415, 400, 403]);
    expect(refusals[7]!.json.error).toBe('body is not valid UTF-8');
    expect(snapshot(app)).toBe(before);
  });

  it('answers its own pages: loopback names, its own Origin, JSON bodies', async () => {
    const port = new URL(app.url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      const r = await postJson(app, '/web/api/message', { user: 'admin', text: '/crm whoami' }, { host, origin: `http://${host}` });
      expect(r.status, host).toBe(200);
      expect(r.json.replies[0].text).toMatch(/web:admin/);
    }
    const s = await raw(app, { path: '/web/api/session' });
    expect(s.json).toEqual({ user: null, mode: 'trial' });
  });
});

describe('public mode: a credential on every call', () => {
  const token = 'integration-key-0123456789';
  let app: TestApp;
  let now = Date.parse('2026-03-01T10:00:00.000Z');
  beforeAll(async () => {
    app = await startTestApp({ WEB_CHAT_TOKEN: token, PUBLIC_URL: 'https://crm.example.com', CRM_ADMINS: 'web:boss' }, { web: { sessionDays: 7 }, roles: { assign: { 'web:dana': 'customer' } } }, undefined, () => now);
  });
  afterAll(() => app.stop());
  const asBoss = (text: string) => postJson(app, '/web/api/message', { user: 'boss', text }, { authorization: `Bearer ${token}` });
  const invite = async (who: string) => {
    const r = await asBoss(`/crm invite web:${who}`);
    const link = /https:\/\/crm\.example\.com\/web\/signin\?code=([A-Za-z0-9_-]+)/.exec(r.json.replies[0].text);
    expect(link, r.json.replies[0].text).not.toBeNull();
    return link![1]!;
  };
  const signin = (code: string) => raw(app, { path: `/web/signin?code=${code}` });
  const cookieOf = (r: { headers: Record<string, unknown> }) => String(r.headers['set-cookie']).split(';')[0]!;

  it('answers 401 with the sign-in flag without a credential, and says who the page is', async () => {
    const before = snapshot(app);
    const calls = await Promise.all([
      postJson(app, '/web/api/message', { user: 'boss', text: '/crm whoami' }),
      postJson(app, '/web/api/message', { user: 'boss', text: '/crm whoami' }, { authorization: 'Bearer wrong-key-0123456789' }),
      raw(app, { path: '/web/api/inbox?user=boss' }),
      raw(app, { path: '/web/api/commands' }),
      raw(app, { path: '/web/api/inbox?user=boss', headers: { cookie: 'crm_session=made-up' } }),
    ]);
    for (const r of calls) {
      expect(r.status).toBe(401);
      expect(r.json).toMatchObject({ signin: true, error: expect.any(String) });
    }
    expect(snapshot(app)).toBe(before);
    expect((await raw(app, { path: '/web/api/session' })).json).toEqual({ user: null, mode: 'public' });
    // The integration key, scheme in any case, may name any user.
    const r = await postJson(app, '/web/api/message', { user: 'zed', text: '/crm whoami' }, { authorization: `bEaReR ${token}` });
    expect(r.json.replies[0].text).toMatch(/\(web:zed\)/);
  });

  it('signs a person in with a one-time link; the session acts as that person only, then signs out', async () => {
    const code = await invite('alice');
    expect(code.length).toBeGreaterThanOrEqual(22); // >= 128 bits in base64url
    const stored = snapshot(app);
    expect(stored).not.toContain(code); // only its hash is kept

    const first = await signin(code);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/^crm_session=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=\/; Max-Age=604800; Secure$/);
    const session = cookieOf(first);

    const again = await signin(code);
    expect(again.status).toBe(410);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.text).toMatch(/already used/);

    const me = { cookie: session };
    expect((await raw(app, { path: '/web/api/session', headers: me })).json).toEqual({ user: 'alice', mode: 'public' });
    const whoami = await postJson(app, '/web/api/message', { text: '/crm whoami' }, me);
    expect(whoami.json.replies[0].text).toMatch(/\(web:alice\)/);
    expect((await postJson(app, '/web/api/message', { user: 'alice', text: '/crm whoami' }, me)).status).toBe(200);

    const before = snapshot(app);
    const asBossViaSession = await postJson(app, '/web/api/message', { user: 'boss', text: '/crm role web:alice admin' }, me);
    expect(asBossViaSession.status).toBe(403);
    expect((await raw(app, { path: '/web/api/inbox?user=boss', headers: me })).status).toBe(403);
    expect(snapshot(app)).toBe(before);
    expect((await raw(app, { path: '/web/api/inbox', headers: me })).json).toEqual({ messages: [] });

    const out = await postJson(app, '/web/api/message', { text: '/crm signout' }, me);
    expect(out.json.replies[0].text).toMatch(/^Signed out/);
    expect(String(out.headers['set-cookie'])).toMatch(/^crm_session=; .*Max-Age=0/);
    expect((await postJson(app, '/web/api/message', { text: '/crm whoami' }, me)).status).toBe(401);
  });

  it('ends every session of a person with /crm signout all', async () => {
    const a = cookieOf(await signin(await invite('bea')));
    const b = cookieOf(await signin(await invite('bea')));
    const r = await postJson(app, '/web/api/message', { text: '/crm signout all' }, { cookie: a });
    expect(r.json.replies[0].text).toMatch(/2 web sessions of web:bea ended/);
    expect((await raw(app, { path: '/web/api/session', headers: { cookie: b } })).json.user).toBeNull();
  });

  it('refuses unknown, damaged and expired codes with a page that says so, setting nothing', async () => {
    const unknown = await signin('A'.repeat(43));
    expect(unknown.status).toBe(400);
    expect(unknown.headers['set-cookie']).toBeUndefined();
    expect((await raw(app, { path: '/web/signin' })).status).toBe(400);
    expect((await raw(app, { path: '/web/signin?code=%3Cscript%3E' })).status).toBe(400);
    const code = await invite('carl');
    now += 24 * 3_600_000 + 1;
    const late = await signin(code);
    expect(late.status).toBe(410);
    expect(late.text).toMatch(/has expired/);
    expect(late.headers['set-cookie']).toBeUndefined();
  });

  it('lets only admins invite, and only web identities', async () => {
    expect((await postJson(app, '/web/api/message', { user: 'rep1', text: '/crm invite web:x' }, { authorization: `Bearer ${token}` })).json.replies[0].text).toMatch(/needs the role admin/);
    expect((await asBoss('/crm invite telegram:42')).json.replies[0].text).toMatch(/is not a web identity/);
  });

  it('forgetting a person deletes their sessions and invite codes', async () => {
    const session = cookieOf(await signin(await invite('dana')));
    await postJson(app, '/web/api/message', { text: 'hello' }, { cookie: session });
    const pending = await invite('dana');
    const ts = app.engine.store.tenant('default');
    const dana = (await ts.identities.get('web:dana'))!;
    expect(dana.customerId).not.toBeNull();
    const r = await asBoss(`/crm forget C-${dana.customerId}`);
    expect(r.json.replies[0].text).toMatch(/was erased/);
    expect((await raw(app, { path: '/web/api/session', headers: { cookie: session } })).json.user).toBeNull();
    expect((await signin(pending)).status).toBe(400);
  });
});
