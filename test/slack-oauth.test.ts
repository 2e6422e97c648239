import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem } from '../core/index.js';
import { FakeSlack, fixture, postSigned, slash, startSlackApp, type SlackTestApp } from './fixtures/slack/harness.js';

describe('Slack multi-workspace OAuth', () => {
  const fake = new FakeSlack();
  let app: SlackTestApp;

  beforeAll(async () => {
    await fake.start();
    fake.answers('oauth.v2.access', () => ({
      body: {
        ok: true, app_id: 'A123456', authed_user: { id: 'U0INSTALL' }, scope: 'commands,chat:write,im:write', token_type: 'bot',
        access_token: 'xoxb-team-two', bot_user_id: 'U0BOT0002', team: { id: 'T0002', name: 'Team Two' }, enterprise: null, is_enterprise_install: false,
      },
    }));
    fake.answers('auth.test', () => ({ body: { ok: true, bot_id: 'B0002', user_id: 'U0BOT0002', team_id: 'T0002', url: 'https://two.slack.com/' } }));
    app = await startSlackApp(fake, { SLACK_BOT_TOKEN: '', SLACK_CLIENT_ID: '1234.5678', SLACK_CLIENT_SECRET: 'client-secret', SLACK_STATE_SECRET: 'state-secret' });
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('installs a workspace through /slack/install and /slack/oauth_redirect, then uses its token', async () => {
    const install = await fetch(`${app.url}/slack/install`);
    expect(install.status).toBe(200);
    const page = await install.text();
    const state = /state=([^&"]+)/.exec(page)?.[1];
    expect(page).toContain('https://slack.com/oauth/v2/authorize');
    expect(page).toContain('scope=commands%2Cchat%3Awrite');
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;
    expect(cookie).toBe(`slack-app-oauth-state=${state}`);

    const forged = await fetch(`${app.url}/slack/oauth_redirect?code=c0de&state=${state}`);
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(await app.engine.store.tenant('default').docs('slack', 'installations').get('T0002')).toBeNull();

    const done = await fetch(`${app.url}/slack/oauth_redirect?code=c0de&state=${state}`, { headers: { cookie } });
    expect(done.status).toBe(200);
    expect(fake.of('oauth.v2.access')[0]!.body).toMatchObject({ code: 'c0de', client_id: '1234.5678' });
    expect(await app.engine.store.tenant('default').docs('slack', 'installations').get('T0002')).toBeTruthy();

    const form = slash(fake, '/deal', 'add', { team_id: 'T0002' });
    const r = await postSigned(app, { form });
    expect(r.status).toBe(200);
    const open = await fake.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === form.trigger_id);
    expect(open.token).toBe('xoxb-team-two');

    const send = app.adapter.sender!(app.engine);
    const item = { id: 1, tenant: 'default', platform: 'slack', target: 'slack:T0002:U0001', reply: { text: 'hi' }, attempts: 0 } as OutboxItem;
    expect(await send(item)).toEqual({ ok: true });
    expect(fake.of('chat.postMessage').at(-1)!.token).toBe('xoxb-team-two');
  });

  it('answers 200 and does nothing for a workspace that never installed the app', async () => {
    const form = slash(fake, '/crm', 'whoami', { team_id: 'T0009' });
    const r = await postSigned(app, { form });
    expect(r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 200));
    expect(fake.of(new URL(form.response_url!).pathname)).toEqual([]);
    expect(await app.engine.store.tenant('default').identities.get('slack:T0009:U2147483697')).toBeNull();
  });

  it('an org-wide (Enterprise Grid) install serves commands and DMs in its workspaces', async () => {
    // https://docs.slack.dev/reference/methods/oauth.v2.access: an org-wide install has enterprise set, team null, is_enterprise_install true.
    fake.answers('oauth.v2.access', () => ({
      body: {
        ok: true, app_id: 'A123456', authed_user: { id: 'W0INSTALL' }, scope: 'commands,chat:write,im:write', token_type: 'bot',
        access_token: 'xoxb-org-wide', bot_user_id: 'W0ORGBOT01', team: null, enterprise: { id: 'E0ORG0001', name: 'Org Inc' }, is_enterprise_install: true,
      },
    }));
    fake.answers('auth.test', () => ({ body: { ok: true, bot_id: 'B0ORG', user_id: 'W0ORGBOT01', enterprise_id: 'E0ORG0001', is_enterprise_install: true, url: 'https://org.enterprise.slack.com/' } }));
    const install = await fetch(`${app.url}/slack/install`);
    const state = /state=([^&"]+)/.exec(await install.text())?.[1];
    const cookie = install.headers.get('set-cookie')!.split(';')[0]!;
    expect((await fetch(`${app.url}/slack/oauth_redirect?code=org&state=${state}`, { headers: { cookie } })).status).toBe(200);
    expect(await app.engine.store.tenant('default').docs('slack', 'installations').get('enterprise:E0ORG0001')).toBeTruthy();

    const form = { ...fixture('slash-command-enterprise.json'), text: 'add', command: '/deal', trigger_id: '13345224609.738474920.orgwide0000' };
    expect((await postSigned(app, { form })).status).toBe(200);
    const open = await fake.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === form.trigger_id);
    expect(open.token).toBe('xoxb-org-wide');

    const send = app.adapter.sender!(app.engine);
    const item = { id: 2, tenant: 'default', platform: 'slack', target: 'slack:T0ORGWS01:W0ORGUSER1', reply: { text: 'hi' }, attempts: 0 } as OutboxItem;
    expect(await send(item)).toEqual({ ok: true });
    expect(fake.of('chat.postMessage').at(-1)!.token).toBe('xoxb-org-wide');
  });
});
