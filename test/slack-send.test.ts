import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem, Reply, Sender } from '../core/index.js';
import { BOT_TOKEN, FakeSlack, startSlackApp, type SlackTestApp } from './fixtures/slack/harness.js';

const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let n = 0;
function item(target: string, reply: Reply, attempts = 0): OutboxItem {
  n++;
  return {
    id: n, tenant: 'default', platform: 'slack', target, reply, status: 'pending', attempts,
    nextAttemptAt: new Date().toISOString(), leaseHolder: null, leaseUntil: null, idempotencyKey: `send-test-${n}`,
  } as OutboxItem;
}

describe('Slack outbox sender', () => {
  const fake = new FakeSlack();
  let app: SlackTestApp;
  let send: Sender;

  beforeAll(async () => {
    await fake.start();
    app = await startSlackApp(fake);
    send = app.adapter.sender!(app.engine);
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('DMs an identity through conversations.open + chat.postMessage with the bot token', async () => {
    fake.calls.length = 0;
    expect(await send(item('slack:T0001:U0DM00001', { text: 'Your NPS survey', buttons: [{ id: 'survey.answer', label: '10', value: 'S-1 10' }] }))).toEqual({ ok: true });
    expect(fake.calls.map((c) => c.method)).toEqual(['conversations.open', 'chat.postMessage']);
    const post = fake.of('chat.postMessage')[0]!;
    expect(post.token).toBe(BOT_TOKEN);
    expect(post.body.channel).toBe('DU0DM00001');
    expect(post.body.blocks[1]).toEqual({ type: 'actions', elements: [expect.objectContaining({ type: 'button', action_id: 'survey.answer#0', value: 'S-1 10' })] });
  });

  it('posts to a channel target directly', async () => {
    fake.calls.length = 0;
    expect(await send(item('channel:C0DIGEST1', { text: 'Weekly digest' }))).toEqual({ ok: true });
    expect(fake.calls.map((c) => [c.method, c.body.channel])).toEqual([['chat.postMessage', 'C0DIGEST1']]);
  });

  it('uploads a data-URL chart as a file next to the message', async () => {
    fake.calls.length = 0;
    expect(await send(item('channel:C0DIGEST1', { text: 'Pipeline', image: PNG }))).toEqual({ ok: true });
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal', '/upload/F0001', 'files.completeUploadExternal']);
    expect(fake.of('files.getUploadURLExternal')[0]!.body).toMatchObject({ filename: 'chart.png', length: '70' });
    expect(fake.of('files.completeUploadExternal')[0]!.body.channel_id).toBe('C0DIGEST1');
    expect(JSON.stringify(fake.of('chat.postMessage')[0]!.body.blocks)).not.toContain('data:');
  });

  it('turns a 429 into retryAfterMs = Retry-After * 1000, without retrying itself', async () => {
    fake.calls.length = 0;
    fake.answers('chat.postMessage', () => ({ status: 429, headers: { 'retry-after': '7' }, body: { ok: false, error: 'ratelimited' } }));
    try {
      expect(await send(item('channel:C0DIGEST1', { text: 'too fast' }))).toEqual({ ok: false, retryAfterMs: 7000, reason: expect.any(String) });
      expect(fake.of('chat.postMessage')).toHaveLength(1);
    } finally {
      fake.answers('chat.postMessage', null);
    }
  });

  it('gives up for good on a gone user and marks the identity unreachable', async () => {
    const identity = 'slack:T0001:U0GONE001';
    await app.engine.resolveActor('default', { platform: 'slack', actor: { identity, displayName: 'gone' } });
    fake.answers('conversations.open', () => ({ body: { ok: false, error: 'user_not_found' } }));
    try {
      expect(await send(item(identity, { text: 'hello?' }))).toEqual({ ok: false, permanent: 'user_not_found' });
    } finally {
      fake.answers('conversations.open', null);
    }
    expect((await app.engine.store.tenant('default').identities.get(identity))?.reachable).toBe(false);
  });

  it('gives up for good on an archived channel, and retries a server error later', async () => {
    fake.answers('chat.postMessage', () => ({ body: { ok: false, error: 'is_archived' } }));
    expect(await send(item('channel:C0OLD0001', { text: 'x' }))).toEqual({ ok: false, permanent: 'is_archived' });
    fake.answers('chat.postMessage', () => ({ status: 500, body: 'oops' }));
    expect(await send(item('channel:C0OLD0001', { text: 'x' }, 2))).toEqual({ ok: false, retryAfterMs: 4000, reason: 'HTTP 500' });
    fake.answers('chat.postMessage', null);
  });

  it('refuses a target that is not Slack', async () => {
    expect(await send(item('discord:123', { text: 'x' }))).toEqual({ ok: false, permanent: expect.stringContaining('not a Slack target') });
  });
});
