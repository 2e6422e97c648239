import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem, Reply, Sender } from '../core/index.js';
import { fakeBotApi, fixture, SECRET, startTelegramApp, type FakeBotApi, type TelegramTestApp } from './fixtures/telegram/harness.js';

// A 1x1 transparent PNG.
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
let nextId = 0;
const item = (target: string, reply: Reply, attempts = 1): OutboxItem => ({
  id: ++nextId, tenant: 'default', platform: 'telegram', target, reply, status: 'pending', attempts,
  nextAttemptAt: new Date().toISOString(), leaseHolder: null, leaseUntil: null, idempotencyKey: `t-${nextId}`,
  lastError: null, createdAt: new Date().toISOString(), sentAt: null,
});
const refuse = (fake: FakeBotApi, chat: number, answer: { error_code: number; description: string; parameters?: { retry_after?: number } }) =>
  fake.on((c) => (c.method.startsWith('send') && Number(c.params.chat_id) === chat ? { ok: false, ...answer } : undefined));

describe('Telegram outbox sender', () => {
  let fake: FakeBotApi;
  let app: TelegramTestApp;
  let send: Sender;

  beforeAll(async () => {
    fake = await fakeBotApi();
    app = await startTelegramApp({ TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });
    send = app.adapter.sender!(app.engine);
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('delivers an outbox DM to the user\'s chat, escaped, with an inline keyboard', async () => {
    await app.engine.outbox.send('default', {
      platform: 'telegram', target: 'telegram:5200000001', idempotencyKey: 'survey-1',
      reply: { text: 'How likely are you to recommend <Acme> & co?', buttons: [1, 2, 3, 4].map((n) => ({ id: 'survey.nps', label: String(n), value: `S-1 ${n}` })) },
    });
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 5200000001);
    expect(call.params.text).toBe('How likely are you to recommend &lt;Acme&gt; &amp; co?');
    expect(call.params.reply_markup.inline_keyboard).toEqual([
      [{ text: '1', callback_data: 'survey.nps|S-1 1' }, { text: '2', callback_data: 'survey.nps|S-1 2' }, { text: '3', callback_data: 'survey.nps|S-1 3' }],
      [{ text: '4', callback_data: 'survey.nps|S-1 4' }],
    ]);
  });

  it('posts to a group for a channel: target', async () => {
    expect(await send(item('channel:-1001900000002', { text: 'Daily digest' }))).toEqual({ ok: true });
    expect(fake.calls.find((c) => c.method === 'sendMessage' && c.params.chat_id === -1001900000002)!.params.text).toBe('Daily digest');
  });

  it('sends one chat\'s messages back to back: pacing is the outbox\'s and Telegram\'s retry_after, not a guess', async () => {
    expect(await send(item('telegram:5200000002', { text: 'one' }))).toEqual({ ok: true });
    expect(await send(item('telegram:5200000002', { text: 'two' }))).toEqual({ ok: true });
    expect(fake.calls.filter((c) => c.params.chat_id === 5200000002).map((c) => c.params.text)).toEqual(['one', 'two']);
  });

  it('waits out a short 429 (retry_after 1) and delivers exactly once', async () => {
    const answer = fixture('error-429.json');
    let refused = 0;
    fake.on((c) => (c.params.chat_id === 5200000008 && refused++ === 0 ? answer : undefined));
    expect(await send(item('telegram:5200000008', { text: 'after the wait' }))).toEqual({ ok: true });
    // The refused attempt and the one that went through: the person sees it once.
    expect(fake.calls.filter((c) => c.params.chat_id === 5200000008).map((c) => c.params.text)).toEqual(['after the wait', 'after the wait']);
    expect(refused).toBe(2);
  });

  it('hands a long 429 (retry_after beyond what auto-retry waits) to the outbox as retryAfterMs, without retrying itself', async () => {
    refuse(fake, 5200000003, { error_code: 429, description: 'Too Many Requests: retry after 60', parameters: { retry_after: 60 } });
    expect(await send(item('telegram:5200000003', { text: 'hello' }))).toEqual({ ok: false, retryAfterMs: 60_000, reason: expect.stringMatching(/429/) });
    expect(fake.calls.filter((c) => c.params.chat_id === 5200000003)).toHaveLength(1);
  });

  it('backs off on a 5xx', async () => {
    refuse(fake, 5200000004, { error_code: 502, description: 'Bad Gateway' });
    const r = await send(item('telegram:5200000004', { text: 'hello' }));
    expect(r).toMatchObject({ ok: false, reason: 'Telegram answered 502' });
    expect((r as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(5000);
  });

  it('marks a user who blocked the bot unreachable and gives up for good', async () => {
    const ts = app.engine.store.tenant('default');
    await ts.identities.touch({ identity: 'telegram:5200000005', platform: 'telegram', displayName: 'Blocker', role: 'customer', customerId: null, locale: null }, new Date().toISOString());
    refuse(fake, 5200000005, { error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    expect(await send(item('telegram:5200000005', { text: 'hello' }))).toEqual({ ok: false, permanent: 'Telegram answered 403: Forbidden: bot was blocked by the user' });
    expect((await ts.identities.get('telegram:5200000005'))!.reachable).toBe(false);
  });

  it('refuses a target that is not Telegram\'s', async () => {
    expect(await send(item('discord:123', { text: 'x' }))).toMatchObject({ ok: false, permanent: expect.stringMatching(/not a Telegram target/) });
  });

  it('sends an https image by URL with the text as caption', async () => {
    await send(item('telegram:5200000006', { text: 'NPS trend', image: 'https://charts.example.com/nps.png', buttons: [{ id: 'digest.more', label: 'More', value: 'nps' }] }));
    const call = await fake.waitFor((c) => c.method === 'sendPhoto' && c.params.chat_id === 5200000006);
    expect(call.params).toMatchObject({ photo: 'https://charts.example.com/nps.png', caption: 'NPS trend', parse_mode: 'HTML' });
    expect(call.params.reply_markup.inline_keyboard[0][0]).toEqual({ text: 'More', callback_data: 'digest.more|nps' });
  });

  it('uploads a data: URL PNG as multipart bytes', async () => {
    await send(item('channel:-1001900000003', { text: 'Chart', image: `data:image/png;base64,${PNG}` }));
    const call = await fake.waitFor((c) => c.method === 'sendPhoto' && Number(c.params.chat_id) === -1001900000003);
    expect(call.contentType).toMatch(/^multipart\/form-data/);
    expect(call.params.caption).toBe('Chart');
    const ref = /^attach:\/\/(.+)$/.exec(call.params.photo)![1]!;
    expect(call.files[ref]!.filename).toBe('image.png');
    expect(call.files[ref]!.bytes.equals(Buffer.from(PNG, 'base64'))).toBe(true);
  });

  it('splits a reply over 4096 characters into several messages, buttons on the last', async () => {
    const long = `${'a'.repeat(3000)}\n${'b'.repeat(3000)}`;
    await send(item('telegram:5200000007', { text: long, buttons: [{ id: 'x.y', label: 'Go', value: '1' }] }));
    await fake.waitFor((c) => c.params.chat_id === 5200000007 && c.params.text === 'b'.repeat(3000));
    const parts = fake.calls.filter((c) => c.params.chat_id === 5200000007);
    expect(parts.map((c) => c.params.text)).toEqual(['a'.repeat(3000), 'b'.repeat(3000)]);
    expect(parts[0]!.params.reply_markup).toBeUndefined();
    expect(parts[1]!.params.reply_markup.inline_keyboard[0][0].text).toBe('Go');
  });
});
