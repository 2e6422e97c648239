import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { command, sub, words, type Interaction } from '../core/index.js';
import { FakeSlack, fixture, postSigned, SIGNING_SECRET, signature, slash, startSlackApp, type SlackTestApp } from './fixtures/slack/harness.js';

/**
 * Slack payloads copied in shape from Slack's docs (each fixture names its page in `_source`), posted signed to
 * the real `POST /slack/events`; assertions on what the fake Slack received: which method, channel, thread,
 * ephemeral or not, and how many times.
 */
const STEVE = 'slack:T0001:U2147483697';
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('Slack as its users know it', () => {
  const fake = new FakeSlack();
  let app: SlackTestApp;
  const heard: Interaction[] = [];

  const stored = async (identity: string) => {
    const who = await app.engine.store.tenant('default').identities.get(identity);
    return who?.customerId ? app.engine.store.tenant('default').interactions.listForCustomer(who.customerId, 50) : [];
  };
  const byText = async (identity: string, text: string) => (await stored(identity)).find((i) => i.text === text);

  beforeAll(async () => {
    await fake.start();
    // Slack people are customers here, so what they say lands on a customer record the test can read back.
    app = await startSlackApp(fake, {}, { roles: { defaults: { slack: 'customer' } } });
    app.engine.bus.on('message.received', async (e) => void heard.push(e.interaction));
    const all = ['admin', 'manager', 'rep', 'customer'] as const;
    app.engine.commands.register(command({
      name: 'probe', summary: 'test probe',
      subcommands: [
        sub({ name: 'hit', usage: '<value>', summary: 'announces the outcome', roles: [...all], args: words(0, 5, ''),
          run: async (_ctx, a) => ({ text: `Won by the team: ${a.words.join(' ')}`, visibility: 'public' as const }) }),
        sub({ name: 'card', usage: '<value>', summary: 'a private answer', roles: [...all], args: words(0, 5, ''),
          run: async (_ctx, a) => ({ text: `Card of ${a.words.join(' ')}: spend 12,000` }) }),
        sub({ name: 'shout', usage: '', summary: 'a public answer', roles: [...all], args: words(0, 0, ''),
          run: async () => ({ text: 'Everyone: the quarter closed', visibility: 'public' as const }) }),
      ],
    }));
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });
  beforeEach(() => {
    fake.calls.length = 0;
    heard.length = 0;
  });

  describe('verification by Bolt', () => {
    it('answers an unsigned ssl_check with 200 and does nothing else', async () => {
      const body = readFileSync(new URL('./fixtures/slack/ssl-check.txt', import.meta.url), 'utf8').split('\n').find((l) => l.startsWith('ssl_check'))!;
      const r = await fetch(`${app.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect(r.status).toBe(200);
      await settle();
      expect(fake.calls).toEqual([]);
    });

    it.each([
      ['4 minutes old', 200, { timestamp: Math.floor(Date.now() / 1000) - 240 }],
      ['6 minutes old', 401, { timestamp: Math.floor(Date.now() / 1000) - 360 }],
      ['signed with the wrong secret', 401, { secret: 'not-the-secret' }],
      ['carrying the signature of another body', 401, { headers: { 'x-slack-signature': signature(SIGNING_SECRET, String(Math.floor(Date.now() / 1000)), 'x') } }],
    ])('a request %s gets %i', async (_n, status, opts) => {
      expect((await postSigned(app, { json: fixture('url-verification.json') }, opts)).status).toBe(status);
    });

    it('refuses a request without a timestamp header', async () => {
      const raw = JSON.stringify(fixture('url-verification.json'));
      const r = await fetch(`${app.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-slack-signature': signature(SIGNING_SECRET, '', raw) }, body: raw });
      expect(r.status).toBe(401);
    });
  });

  describe('conversation', () => {
    it('keeps thread replies, broadcasts, file shares (with file names) and /me messages as conversation', async () => {
      for (const f of ['message-thread-reply.json', 'message-thread-broadcast.json', 'message-file-share.json', 'message-me.json']) {
        expect((await postSigned(app, { json: fixture(f) })).status).toBe(200);
      }
      await settle();
      // Each is handled after its acknowledgement, so they may finish in any order.
      expect(heard.map((i) => [i.messageId, i.text]).sort()).toEqual([
        ['slack:C2147483705:1700000100.000200', 'Can we get the renewal quote by Friday?'],
        ['slack:C2147483705:1700000200.000300', 'Also sent to the channel: renewal signed'],
        ['slack:C2147483705:1700000300.000400', 'Here is the signed contract\n[file: contract-signed.pdf]\n[file: invoice 42.png]'],
        ['slack:C2147483705:1700000400.000500', 'is checking the pricing page'],
      ]);
      expect(fake.of('chat.postEphemeral').concat(fake.of('chat.postMessage'))).toEqual([]);
    });

    it('ignores every bot, app and system subtype, and an unfurl that changes no text', async () => {
      const base = fixture('event-message.json');
      const { events } = fixture('message-system-subtypes.json');
      for (const [i, event] of (events as object[]).entries()) {
        expect((await postSigned(app, { json: { ...base, event_id: `Ev0SYSTEM${i}`, event } })).status).toBe(200);
      }
      await settle();
      expect(heard).toEqual([]);
      expect(await app.engine.store.tenant('default').identities.get('slack:T0001:UREVOKED0')).toBeNull();
    });

    it('message_changed replaces the stored text, keeping the previous one; a retried edit applies once', async () => {
      await postSigned(app, { json: fixture('message-thread-reply.json') });
      const changed = fixture('message-changed.json');
      await postSigned(app, { json: changed });
      await postSigned(app, { json: changed }, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
      await settle();
      const edited = await byText(STEVE, 'Can we get the renewal quote by Monday?');
      expect(edited).toMatchObject({ messageId: 'slack:C2147483705:1700000100.000200', edits: [{ text: 'Can we get the renewal quote by Friday?' }] });
      expect(edited?.edits).toHaveLength(1);
      expect(heard).toEqual([]);
    });

    it('an edit of a message never stored changes nothing', async () => {
      const before = await stored(STEVE);
      const ghost = fixture('message-changed.json');
      ghost.event_id = 'Ev0GHOSTED1';
      ghost.event.message.ts = ghost.event.previous_message.ts = '1600000000.000001';
      await postSigned(app, { json: ghost });
      await settle();
      expect(await stored(STEVE)).toEqual(before);
    });

    it('message_deleted blanks the stored message and marks it deleted', async () => {
      await postSigned(app, { json: fixture('message-me.json') });
      await postSigned(app, { json: fixture('message-deleted.json') });
      await settle();
      const gone = (await stored(STEVE)).find((i) => i.messageId === 'slack:C2147483705:1700000400.000500');
      expect(gone).toMatchObject({ text: '', deleted: true });
    });
  });

  describe('answers where the person asked', () => {
    it('a mention command in a thread is answered ephemerally in that thread, once, and its twin message is not chatter', async () => {
      await postSigned(app, { json: fixture('app-mention-thread.json') });
      await postSigned(app, { json: fixture('app-mention-thread.json') }, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
      await postSigned(app, { json: fixture('message-beside-mention.json') });
      await fake.waitFor((c) => c.method === 'chat.postEphemeral');
      await settle();
      const sent = fake.of('chat.postEphemeral');
      expect(sent).toHaveLength(1);
      expect(sent[0]!.body).toMatchObject({ channel: 'C2147483705', user: 'U2147483697', thread_ts: '1700000000.000100' });
      expect(sent[0]!.body.text).toContain(STEVE);
      expect(fake.of('chat.postMessage')).toEqual([]);
      expect(heard).toEqual([]);
    });

    it('a public answer is posted for everyone in the thread', async () => {
      const ev = fixture('app-mention-thread.json');
      await postSigned(app, { json: { ...ev, event_id: 'Ev0SHOUT001', event: { ...ev.event, text: '<@U0LAN0Z89> probe shout', ts: '1700000701.000800' } } });
      const sent = await fake.waitFor((c) => c.method === 'chat.postMessage');
      await settle();
      expect(sent.body).toMatchObject({ channel: 'C2147483705', thread_ts: '1700000000.000100', text: 'Everyone: the quarter closed' });
      expect(fake.of('chat.postMessage')).toHaveLength(1);
      expect(fake.of('chat.postEphemeral')).toEqual([]);
    });

    it('slash commands answer through response_url: ephemeral unless public', async () => {
      const dm = { ...fixture('slash-command-dm.json'), response_url: `${fake.url}/respond/dm` };
      await postSigned(app, { form: dm });
      const priv = await fake.waitFor((c) => c.method === '/respond/dm');
      expect(priv.body.response_type).toBe('ephemeral');
      const shout = slash(fake, '/probe', 'shout');
      await postSigned(app, { form: shout });
      const pub = await fake.waitFor((c) => c.method === new URL(shout.response_url!).pathname);
      expect(pub.body).toMatchObject({ response_type: 'in_channel', text: 'Everyone: the quarter closed' });
    });

    it('a 429 on a reply is waited out (Retry-After) and the reply arrives exactly once', async () => {
      let tries = 0;
      // https://docs.slack.dev/apis/web-api/rate-limits: HTTP 429 with a Retry-After header in seconds.
      fake.answers('chat.postEphemeral', () => (++tries === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: { ok: false, error: 'ratelimited' } } : { body: { ok: true, message_ts: '1700000702.000001' } }));
      try {
        const ev = fixture('app-mention-thread.json');
        await postSigned(app, { json: { ...ev, event_id: 'Ev0LIMITED1', event: { ...ev.event, ts: '1700000702.000800' } } });
        await fake.waitFor((c) => c.method === 'chat.postEphemeral' && tries >= 2, 15_000);
        await settle();
        expect(fake.of('chat.postEphemeral')).toHaveLength(2);
        expect(fake.of('chat.postEphemeral')[1]!.body).toMatchObject({ channel: 'C2147483705', thread_ts: '1700000000.000100' });
      } finally {
        fake.answers('chat.postEphemeral', null);
      }
    });
  });

  describe('a 429 on response_url', () => {
    // https://docs.slack.dev/apis/web-api/rate-limits: HTTP 429 with a Retry-After header in seconds.
    const limited = { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' };
    const limitOnce = (path: string) => {
      let tries = 0;
      fake.answers(path, () => (++tries === 1 ? limited : { body: 'ok' }));
    };

    it('a slash command answer is posted again after Retry-After and arrives exactly once', async () => {
      const form = slash(fake, '/probe', 'card Acme');
      const path = new URL(form.response_url!).pathname;
      limitOnce(path);
      await postSigned(app, { form });
      await fake.waitFor((c) => c.method === path && fake.of(path).length >= 2, 15_000);
      await settle();
      const posts = fake.of(path);
      expect(posts).toHaveLength(2);
      expect(posts[1]!.body).toMatchObject({ response_type: 'ephemeral', text: 'Card of Acme: spend 12,000' });
      expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(950);
      expect(fake.of('chat.postMessage')).toEqual([]);
    });

    it('a click updates its message after Retry-After, once', async () => {
      const path = '/respond/limited-click';
      limitOnce(path);
      const click = { ...fixture('block-actions-message.json'), trigger_id: '12321423423.333649436676.limitclick1', response_url: `${fake.url}${path}` };
      await postSigned(app, { payload: click });
      await fake.waitFor((c) => c.method === path && fake.of(path).length >= 2, 15_000);
      await settle();
      expect(fake.of(path)).toHaveLength(2);
      expect(fake.of(path)[1]!.body.replace_original).toBe(true);
      expect(fake.of('chat.update')).toEqual([]);
    });

    it('when response_url keeps answering 429, a private answer reaches the person by DM through the outbox, once', async () => {
      const form = slash(fake, '/probe', 'card Globex');
      const path = new URL(form.response_url!).pathname;
      fake.answers(path, () => limited);
      await postSigned(app, { form });
      const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.text === 'Card of Globex: spend 12,000', 20_000);
      await settle();
      expect(fake.of(path)).toHaveLength(3);
      expect(dm.body.channel).toBe('DU2147483697');
      expect(fake.of('chat.postMessage').filter((c) => c.body.text === 'Card of Globex: spend 12,000')).toHaveLength(1);
    });

    it('when response_url keeps answering 429, the clicked message is updated with chat.update instead', async () => {
      const path = '/respond/always-limited-click';
      fake.answers(path, () => limited);
      const click = { ...fixture('block-actions-message.json'), trigger_id: '12321423423.333649436676.limitclick2', response_url: `${fake.url}${path}` };
      await postSigned(app, { payload: click });
      const update = await fake.waitFor((c) => c.method === 'chat.update', 20_000);
      await settle();
      expect(fake.of(path)).toHaveLength(3);
      expect(fake.of('chat.update')).toHaveLength(1);
      expect(update.body).toMatchObject({ channel: 'C2147483705', ts: '1700000900.001000' });
      expect(JSON.stringify(update.body.blocks)).toContain('Won by the team: D-12 won');
    });
  });

  describe('buttons', () => {
    const blocksOf = (c: { body: Record<string, any> }) => c.body.blocks as { type: string; elements?: { text: string }[] }[];

    it('a click on our button replaces the buttons of its message with the outcome, once', async () => {
      const click = { ...fixture('block-actions-message.json'), response_url: `${fake.url}/respond/settle` };
      await postSigned(app, { payload: click });
      await postSigned(app, { payload: click });
      await fake.waitFor((c) => c.method === '/respond/settle');
      await settle();
      const updates = fake.of('/respond/settle');
      expect(updates).toHaveLength(1);
      expect(updates[0]!.body.replace_original).toBe(true);
      expect(blocksOf(updates[0]!).map((b) => b.type)).toEqual(['section', 'context']);
      expect(blocksOf(updates[0]!)[1]!.elements![0]!.text).toBe('Won by the team: D-12 won — <@U2147483697>');
      expect(fake.of('chat.postEphemeral')).toEqual([]);
    });

    it('a private answer to a click on a channel message goes to the clicker alone, in the thread; the message only says it was answered', async () => {
      const click = fixture('block-actions-message.json');
      const payload = {
        ...click, trigger_id: '12321423423.333649436676.clickcard01', response_url: `${fake.url}/respond/card`,
        actions: [{ ...click.actions[0], action_id: 'probe.card#0', value: 'Acme' }],
      };
      await postSigned(app, { payload });
      const eph = await fake.waitFor((c) => c.method === 'chat.postEphemeral');
      const update = await fake.waitFor((c) => c.method === '/respond/card');
      expect(eph.body).toMatchObject({ channel: 'C2147483705', user: 'U2147483697', thread_ts: '1700000000.000100', text: 'Card of Acme: spend 12,000' });
      expect(JSON.stringify(update.body)).not.toContain('12,000');
      expect(blocksOf(update).at(-1)!.elements![0]!.text).toBe('Answered privately — <@U2147483697>');
    });
  });

  describe('names and installs', () => {
    it('takes the display name from users.info (non-Latin kept), not the slash command user_name, for an org-wide install', async () => {
      const info = fixture('users-info-nonlatin.json');
      fake.answers('users.info', () => ({ body: info }));
      try {
        const form = { ...fixture('slash-command-enterprise.json'), response_url: `${fake.url}/respond/org` };
        await postSigned(app, { form });
        const answer = await fake.waitFor((c) => c.method === '/respond/org');
        expect(answer.body.response_type).toBe('ephemeral');
        const who = await app.engine.store.tenant('default').identities.get('slack:T0ORGWS01:W0ORGUSER1');
        expect(who?.displayName).toBe('Дима');
        await postSigned(app, { json: fixture('event-message-enterprise.json') });
        await settle();
        expect(heard.map((i) => [i.identity, i.text])).toEqual([['slack:T0ORGWS01:W0ORGUSER1', 'Когда будет счёт?']]);
        expect(fake.of('users.info')).toHaveLength(1);
      } finally {
        fake.answers('users.info', null);
      }
    });
  });
});
