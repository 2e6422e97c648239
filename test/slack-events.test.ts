import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, sub, words, type Reply } from '../core/index.js';
import { FakeSlack, fixture, postSigned, slash, startSlackApp, type SlackTestApp } from './fixtures/slack/harness.js';

const STEVE = 'slack:T0001:U2147483697';

describe('POST /slack/events', () => {
  const fake = new FakeSlack();
  let app: SlackTestApp;
  const probes: { args: string; identity: string }[] = [];

  beforeAll(async () => {
    await fake.start();
    app = await startSlackApp(fake);
    // Test-only commands: one that records what a click delivered, one slower than Slack's 3 s.
    app.engine.commands.register(command({
      name: 'probe', summary: 'test probe',
      subcommands: [sub({ name: 'hit', usage: '<value>', summary: 'records', roles: ['admin', 'manager', 'rep', 'customer'], args: words(0, 5, ''),
        run: async (ctx, a) => {
          probes.push({ args: a.words.join(' '), identity: ctx.actor.identity });
          return { text: `hit ${a.words.join(' ')}` };
        } })],
    }));
    app.engine.commands.register(command({
      name: 'slow', summary: 'takes 3.5 s',
      subcommands: [sub({ name: 'go', usage: '', summary: 'waits', roles: ['admin', 'manager', 'rep', 'customer'], args: words(0, 0, ''),
        run: async (): Promise<Reply> => {
          await new Promise((r) => setTimeout(r, 3500));
          return { text: 'slow work done' };
        } })],
    }));
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('answers url_verification with the challenge once the signature checks out', async () => {
    const r = await postSigned(app, { json: fixture('url-verification.json') });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ challenge: fixture('url-verification.json').challenge });
  });

  it('acks a signed /crm whoami at once and delivers the answer to response_url', async () => {
    const form = slash(fake, '/crm', 'whoami');
    const r = await postSigned(app, { form });
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2500);
    const path = new URL(form.response_url!).pathname;
    const sent = await fake.waitFor((c) => c.method === path);
    expect(sent.body.text).toContain(STEVE);
    expect(sent.body.response_type).toBe('ephemeral');
    expect(sent.body.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: expect.stringContaining(STEVE) } });
  });

  it('refuses a bad signature with 401 and stores nothing', async () => {
    const form = slash(fake, '/crm', 'whoami', { user_id: 'UFORGED01' });
    const r = await postSigned(app, { form }, { secret: 'not-the-secret' });
    expect(r.status).toBe(401);
    expect(await app.engine.store.tenant('default').identities.get('slack:T0001:UFORGED01')).toBeNull();
    const unsigned = await fetch(`${app.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fixture('url-verification.json')) });
    expect(unsigned.status).toBe(401);
  });

  it('refuses a replayed request (timestamp older than 5 minutes) with 401', async () => {
    const form = slash(fake, '/crm', 'whoami', { user_id: 'UREPLAY01' });
    const r = await postSigned(app, { form }, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
    expect(r.status).toBe(401);
    expect(await app.engine.store.tenant('default').identities.get('slack:T0001:UREPLAY01')).toBeNull();
  });

  it('answers 400 to a signed body that is not a Slack payload', async () => {
    const r = await postSigned(app, { json: { type: 'event_callback', team_id: 'T0001' } });
    expect(r.status).toBe(400);
  });

  it('stores a channel message once even when Slack retries it', async () => {
    const seen: string[] = [];
    const off = app.engine.bus.on('message.received', async (e) => void seen.push(e.interaction.text ?? ''));
    const ev = fixture('event-message.json');
    const first = await postSigned(app, { json: ev });
    const retry = await postSigned(app, { json: ev }, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.ms).toBeLessThan(2500);
    await new Promise((r) => setTimeout(r, 300));
    off();
    expect(seen).toEqual(['Loving the new release <3 & more']);
    const who = await app.engine.store.tenant('default').identities.get(STEVE);
    expect(who?.displayName).toBe('Steve');
  });

  it('ignores bot messages and edits', async () => {
    const seen: string[] = [];
    const off = app.engine.bus.on('message.received', async (e) => void seen.push(e.interaction.text ?? ''));
    const ev = fixture('event-message.json');
    await postSigned(app, { json: { ...ev, event_id: 'Ev0BOT0001', event: { ...ev.event, bot_id: 'B0001', text: 'from a bot' } } });
    await postSigned(app, { json: { ...ev, event_id: 'Ev0EDIT001', event: { ...ev.event, subtype: 'message_changed', text: 'edited' } } });
    await new Promise((r) => setTimeout(r, 300));
    off();
    expect(seen).toEqual([]);
  });

  it('runs a command addressed with @crm and answers ephemerally in the channel', async () => {
    const r = await postSigned(app, { json: fixture('event-app-mention.json') });
    expect(r.status).toBe(200);
    const sent = await fake.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(sent.body).toMatchObject({ channel: 'C2147483705', user: 'U2147483697' });
    expect(sent.body.text).toContain(STEVE);
  });

  it('acks a slow command at once; the answer arrives at response_url later', async () => {
    const form = slash(fake, '/slow', 'go');
    const r = await postSigned(app, { form });
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2500);
    const path = new URL(form.response_url!).pathname;
    expect(fake.of(path)).toEqual([]);
    const sent = await fake.waitFor((c) => c.method === path, 10_000);
    expect(sent.body.text).toBe('slow work done');
  });

  it('brings a button click back to the engine as {id, value}, answering via response_url', async () => {
    const payload = { ...fixture('block-actions.json'), response_url: `${fake.url}/respond/click` };
    const r = await postSigned(app, { payload });
    expect(r.status).toBe(200);
    const sent = await fake.waitFor((c) => c.method === '/respond/click');
    expect(sent.body.text).toBe('hit D-12');
    expect(probes).toContainEqual({ args: 'D-12', identity: STEVE });
  });

  it('opens the deal form for a bare /deal add', async () => {
    const form = slash(fake, '/deal', 'add');
    const r = await postSigned(app, { form });
    expect(r.status).toBe(200);
    const open = await fake.waitFor((c) => c.method === 'views.open' && c.body.trigger_id === form.trigger_id);
    expect(open.body.view.callback_id).toBe('crm_deal_add');
    expect(open.body.view.blocks.map((b: { block_id: string }) => b.block_id)).toEqual(['customer', 'amount', 'currency', 'stage']);
  });

  it('says privately at the response_url, once, how to type a deal when the form does not open', async () => {
    // https://docs.slack.dev/reference/methods/views.open: a trigger_id older than 3 s is refused with expired_trigger_id.
    fake.answers('views.open', () => ({ body: { ok: false, error: 'expired_trigger_id' } }));
    try {
      const form = slash(fake, '/deal', 'add');
      const path = new URL(form.response_url!).pathname;
      expect((await postSigned(app, { form })).status).toBe(200);
      const said = await fake.waitFor((c) => c.method === path);
      expect(said.body).toEqual({ text: 'The form did not open. Type it instead: /deal add <customer> <amount>', response_type: 'ephemeral' });
      expect(fake.of(path)).toHaveLength(1);
    } finally {
      fake.answers('views.open', null);
    }
  });

  it('answers an incomplete deal form with inline errors and stores nothing', async () => {
    const payload = fixture('view-submission.json');
    payload.view.id = 'V0BADFORM1';
    payload.view.state.values.customer.value.value = '  ';
    payload.view.state.values.amount.value.value = null;
    const r = await postSigned(app, { payload });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ response_action: 'errors', errors: { customer: expect.any(String), amount: expect.any(String) } });
  });

  it('adds the deal from a complete form and sends the result by DM', async () => {
    const r = await postSigned(app, { payload: fixture('view-submission.json') });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && /Globex Inc/.test(JSON.stringify(c.body.blocks)));
    expect(dm.body.channel).toBe('DU2147483697');
    expect(fake.of('conversations.open').map((c) => c.body.users)).toContain('U2147483697');
    expect(dm.body.blocks.find((b: { type: string }) => b.type === 'actions')).toBeTruthy();
  });

  it('adds a deal with /deal add Acme 1200 and shows it in /deal list', async () => {
    const add = slash(fake, '/deal', 'add Acme 1200');
    const a = await postSigned(app, { form: add });
    expect(a.ms).toBeLessThan(2500);
    const added = await fake.waitFor((c) => c.method === new URL(add.response_url!).pathname);
    expect(added.body.text).toMatch(/Deal D-\d+ added/);
    const list = slash(fake, '/deal', 'list');
    const l = await postSigned(app, { form: list });
    expect(l.ms).toBeLessThan(2500);
    const listed = await fake.waitFor((c) => c.method === new URL(list.response_url!).pathname);
    expect(JSON.stringify(listed.body.blocks)).toContain('Acme');
  });
});
