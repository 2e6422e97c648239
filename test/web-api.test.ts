import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

describe('web chat API', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:root' });
  });
  afterAll(() => app.stop());

  it('answers /healthz with the store, adapters and plugins', async () => {
    const res = await fetch(`${app.url}/healthz`);
    expect(await res.json()).toEqual({ status: 'ok', store: 'sqlite', adapters: ['web'], plugins: [] });
  });

  it('lists every command with /crm help', async () => {
    const [list] = await say(app, 'alice', '/crm help');
    expect(list.fields.map((f: { label: string }) => f.label)).toContain('/crm');
  });

  it('tells an unknown command what exists', async () => {
    const [r] = await say(app, 'alice', '/nope');
    expect(r.text).toMatch(/Unknown command \/nope/);
  });

  it('refuses a role change from a rep, naming the role needed', async () => {
    const [r] = await say(app, 'alice', '/crm role web:bob manager');
    expect(r.text).toMatch(/needs the role admin; you are rep/);
    const [who] = await say(app, 'bob', '/crm whoami');
    expect(who.fields).toContainEqual({ label: 'Role', value: 'rep' });
  });

  it('lets a bootstrap admin change roles', async () => {
    const [r] = await say(app, 'root', '/crm role web:bob manager');
    expect(r.text).toBe('web:bob is now manager.');
    const [who] = await say(app, 'bob', '/crm whoami');
    expect(who.fields).toContainEqual({ label: 'Role', value: 'manager' });
  });

  it('rejects malformed JSON, bad users and huge texts with 400 and a reason', async () => {
    const bad = await fetch(`${app.url}/web/api/message`, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error).toMatch(/not valid JSON/);
    expect((await web(app, '/web/api/message', { user: '<script>', text: 'hi' })).status).toBe(400);
    const big = await web(app, '/web/api/message', { user: 'alice', text: 'x'.repeat(10_240) });
    expect(big.status).toBe(400);
    expect(big.json.error).toMatch(/longer than 4000/);
  });

  it('stores a plain message as a community interaction of its author', async () => {
    expect(await say(app, 'dora', 'hello <b>world</b>')).toEqual([]);
    const ts = app.engine.store.tenant('default');
    const link = await ts.identities.get('web:dora');
    expect(link?.role).toBe('rep');
  });
});
