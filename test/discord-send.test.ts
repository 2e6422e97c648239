import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem, Reply, Sender } from '../core/index.js';
import { answerMessage } from '../adapters/discord/gateway.js';
import { normalizeMessage } from '../adapters/discord/normalize.js';
import { createRest } from '../adapters/discord/api.js';
import { discordSender } from '../adapters/discord/send.js';
import { fakeDiscord, fixture, restAnswer, startDiscordApp, type DiscordTestApp, type FakeDiscord } from './fixtures/discord/harness.js';

const TOKEN = 'test-bot-token.not-a-real-one';
let seq = 0;
const item = (target: string, reply: Reply = { text: 'Your weekly digest' }): OutboxItem => ({
  id: ++seq, tenant: 'default', platform: 'discord', target, reply, status: 'pending', attempts: 1,
  nextAttemptAt: new Date().toISOString(), leaseHolder: null, leaseUntil: null, idempotencyKey: `t-${seq}`,
  lastError: null, createdAt: new Date().toISOString(), sentAt: null,
});

describe('Discord outbox sender and gateway messages', () => {
  let fake: FakeDiscord;
  let app: DiscordTestApp;
  let send: Sender;
  let rest: ReturnType<typeof createRest>;

  beforeAll(async () => {
    fake = await fakeDiscord();
    fake.on((r) => (r.path === '/api/v10/users/@me/channels' ? { status: 200, json: { id: `20${r.json.recipient_id.slice(2)}`, type: 1 } } : undefined));
    const started = Date.now();
    // The gateway cannot be reached (the fake has none): start-up must neither fail nor wait for it.
    app = await startDiscordApp({ DISCORD_BOT_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl });
    expect(Date.now() - started).toBeLessThan(5000);
    send = app.adapter.sender!(app.engine);
    rest = createRest(fake.apiUrl, TOKEN);
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('tried the gateway through DISCORD_API_URL and kept running', async () => {
    await fake.waitFor((r) => r.method === 'GET' && r.path === '/api/v10/gateway/bot');
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/discord/interactions`, { method: 'POST' })).status).toBe(404);
  });

  it('opens a DM channel and posts the rendered message there with the bot token', async () => {
    const r = await send(item('discord:1600000000000000031', { text: 'Hi @everyone', buttons: [{ id: 'survey.nps', label: '10', value: 'S-1 10' }] }));
    expect(r).toEqual({ ok: true });
    const open = await fake.waitFor((x) => x.path === '/api/v10/users/@me/channels' && x.json.recipient_id === '1600000000000000031');
    expect(open.headers.authorization).toBe(`Bot ${TOKEN}`);
    const msg = await fake.waitFor((x) => x.path === '/api/v10/channels/2000000000000000031/messages');
    expect(msg.json).toEqual({
      content: 'Hi @everyone', allowed_mentions: { parse: [] },
      components: [{ type: 1, components: [{ type: 2, style: 1, label: '10', custom_id: 'survey.nps|S-1 10' }] }],
    });
    // The DM channel is remembered: a second message does not open it again.
    await send(item('discord:1600000000000000031'));
    expect(fake.requests.filter((x) => x.json?.recipient_id === '1600000000000000031')).toHaveLength(1);
  });

  it('posts to a channel target directly', async () => {
    expect(await send(item('channel:1400000000000000002'))).toEqual({ ok: true });
    expect((await fake.waitFor((x) => x.path === '/api/v10/channels/1400000000000000002/messages')).json.content).toBe('Your weekly digest');
  });

  it('sends a data: URL image as a multipart attachment referenced from the embed', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    expect(await send(item('channel:1400000000000000003', { text: 'KPI', image: `data:image/png;base64,${png.toString('base64')}` }))).toEqual({ ok: true });
    const r = await fake.waitFor((x) => x.path === '/api/v10/channels/1400000000000000003/messages');
    expect(r.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const form = await new Response(new Uint8Array(r.body), { headers: { 'content-type': r.headers['content-type']! } }).formData();
    expect(JSON.parse(String(form.get('payload_json')))).toMatchObject({ attachments: [{ id: 0, filename: 'chart.png' }], embeds: [{ image: { url: 'attachment://chart.png' } }] });
    const file = form.get('files[0]') as File;
    expect(file.name).toBe('chart.png');
    expect(Buffer.from(await file.arrayBuffer())).toEqual(png);
  });

  // The REST client, not our code, reads 429s: a short wait is waited out and the message sent once;
  // a long one comes back to the outbox as retryAfterMs instead of holding the item's lease.
  it('waits out a short 429 on its route and delivers exactly once', async () => {
    let answered = 0;
    const short = restAnswer('rest-429-route.json');
    fake.on((r) => (r.path === '/api/v10/channels/1400000000000000428/messages' && answered++ === 0
      ? { ...short, headers: { ...short.headers, 'retry-after': '0.2', 'x-ratelimit-reset-after': '0.2' }, json: { ...(short.json as object), retry_after: 0.2 } } : undefined));
    expect(await send(item('channel:1400000000000000428', { text: 'after the wait' }))).toEqual({ ok: true });
    const posts = fake.requests.filter((x) => x.path === '/api/v10/channels/1400000000000000428/messages');
    expect(posts).toHaveLength(2);
    expect(posts.map((x) => x.json.content)).toEqual(['after the wait', 'after the wait']);
    expect(answered).toBe(2);
  });

  it('hands a long route 429 back to the outbox with its Retry-After, sending nothing more', async () => {
    fake.on((r) => (r.path === '/api/v10/channels/1400000000000000429/messages' ? restAnswer('rest-429-route.json') : undefined));
    const r = await send(item('channel:1400000000000000429'));
    expect(r).toMatchObject({ ok: false, reason: 'rate limited' });
    expect((r as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(64_570);
    expect((r as { retryAfterMs: number }).retryAfterMs).toBeLessThan(70_000);
    expect(fake.requests.filter((x) => x.path === '/api/v10/channels/1400000000000000429/messages')).toHaveLength(1);
    // The bucket is now known to be empty: the next message on that route is not even tried.
    expect(await send(item('channel:1400000000000000429'))).toMatchObject({ ok: false, reason: 'rate limited' });
    expect(fake.requests.filter((x) => x.path === '/api/v10/channels/1400000000000000429/messages')).toHaveLength(1);
  });

  it('treats a global 429 as a limit on every route of that client', async () => {
    // Its own REST client, so the global lock does not hold up the other tests.
    const sender = discordSender(app.engine, createRest(fake.apiUrl, TOKEN));
    fake.on((r) => (r.path === '/api/v10/channels/1400000000000000430/messages' ? restAnswer('rest-429-global.json') : undefined));
    expect(await sender(item('channel:1400000000000000430'))).toMatchObject({ ok: false, reason: 'rate limited (global)' });
    const before = fake.requests.length;
    expect(await sender(item('channel:1400000000000000431'))).toMatchObject({ ok: false, reason: 'rate limited (global)' });
    expect(fake.requests.length).toBe(before);
  });

  it('marks a user unreachable and gives up on 403 with code 50007', async () => {
    const who = 'discord:1600000000000000050';
    await app.engine.resolveActor('default', { platform: 'discord', actor: { identity: who, displayName: 'closed dms' } });
    fake.on((r) => (r.path === '/api/v10/channels/2000000000000000050/messages' ? restAnswer('rest-403-cannot-message-user.json') : undefined));
    expect(await send(item(who))).toEqual({ ok: false, permanent: 'cannot send messages to this user (50007)' });
    expect((await app.engine.store.tenant('default').identities.get(who))?.reachable).toBe(false);
  });

  it('delivers through the real outbox', async () => {
    await app.engine.outbox.send('default', { platform: 'discord', target: 'channel:1400000000000000077', reply: { text: 'queued' }, idempotencyKey: 'outbox-1' });
    expect((await fake.waitFor((x) => x.path === '/api/v10/channels/1400000000000000077/messages')).json.content).toBe('queued');
  });

  it('feeds a MESSAGE_CREATE payload through normalizeMessage and engine.handle onto the event bus', async () => {
    const dispatch = fixture('message-create.json');
    const ev = normalizeMessage(dispatch.d)!;
    expect(ev).toEqual({
      platform: 'discord', scope: '1300000000000000001', channel: '1400000000000000001', eventId: '1800000000000000001',
      actor: { identity: 'discord:1600000000000000005', displayName: 'Mia' },
      text: 'Loving the new release of Acme CRM, great support team!',
      messageId: '1800000000000000001',
      permalink: 'https://discord.com/channels/1300000000000000001/1400000000000000001/1800000000000000001',
      occurredAt: '2024-05-01T12:34:56.789Z',
    });
    const seen: any[] = [];
    app.engine.bus.on('message.received', (e) => { seen.push(e); });
    expect(await app.engine.handle(ev)).toEqual([]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ platform: 'discord', channel: '1400000000000000001', permalink: ev.permalink, actor: { identity: 'discord:1600000000000000005' } });
    expect(seen[0].interaction.text).toBe(ev.text);
    // A redelivery of the same message id is processed once.
    await app.engine.handle(normalizeMessage(dispatch.d)!);
    expect(seen).toHaveLength(1);
  });

  it('ignores bots, webhooks and malformed payloads', () => {
    const d = fixture('message-create.json').d;
    expect(normalizeMessage({ ...d, author: { ...d.author, bot: true } })).toBeNull();
    expect(normalizeMessage({ ...d, webhook_id: '1900000000000000001' })).toBeNull();
    expect(normalizeMessage({ ...d, author: undefined })).toBeNull();
    expect(normalizeMessage({ ...d, guild_id: undefined, member: undefined })?.permalink).toBe('https://discord.com/channels/@me/1400000000000000001/1800000000000000001');
  });

  // A command typed as a message: in a server its private answer goes to the asker's DMs, never the channel.
  it('answers a typed command in a server channel by DM, with one pointer replying in the channel', async () => {
    const d = fixture('message-create.json').d;
    const ev = normalizeMessage({ ...d, id: '1800000000000000101', content: '/crm whoami' })!;
    const replies = await app.engine.handle(ev);
    expect(replies[0]!.text).toMatch(/^You are Mia \(discord:1600000000000000005\)/);
    const sent = fake.requests.length;
    await answerMessage(app.engine, rest, ev, replies);
    // The gateway's own login retries (the fake has no gateway) may interleave; they are not replies.
    const calls = fake.requests.slice(sent).filter((x) => !x.path.startsWith('/api/v10/gateway'));
    expect(calls.map((x) => `${x.method} ${x.path}`)).toEqual([
      'POST /api/v10/users/@me/channels',
      'POST /api/v10/channels/2000000000000000005/messages',
      'POST /api/v10/channels/1400000000000000001/messages',
    ]);
    expect(calls[0]!.json).toEqual({ recipient_id: '1600000000000000005' });
    expect(calls[1]!.json.content).toMatch(/^You are Mia/);
    expect(calls[2]!.json).toMatchObject({ content: 'I sent you the answer in a DM.', message_reference: { message_id: '1800000000000000101' } });
    expect(JSON.stringify(calls[2]!.json)).not.toContain('discord:1600000000000000005');
  });

  it('answers a typed command in a DM in that DM, as a reply to it', async () => {
    const d = fixture('message-create.json').d;
    const ev = normalizeMessage({ ...d, id: '1800000000000000102', guild_id: undefined, member: undefined, channel_id: '1400000000000000009', content: '/crm whoami' })!;
    const sent = fake.requests.length;
    await answerMessage(app.engine, rest, ev, await app.engine.handle(ev));
    // The gateway's own login retries (the fake has no gateway) may interleave; they are not replies.
    const calls = fake.requests.slice(sent).filter((x) => !x.path.startsWith('/api/v10/gateway'));
    expect(calls.map((x) => `${x.method} ${x.path}`)).toEqual(['POST /api/v10/channels/1400000000000000009/messages']);
    expect(calls[0]!.json).toMatchObject({ content: expect.stringMatching(/^You are Mia/), message_reference: { message_id: '1800000000000000102' } });
  });

  it('reads pasted mentions in a typed command as identities', () => {
    const d = fixture('message-create.json').d;
    expect(normalizeMessage({ ...d, content: '/crm role <@!1600000000000000007> rep' })!.text).toBe('/crm role discord:1600000000000000007 rep');
    expect(normalizeMessage({ ...d, content: 'thanks <@1600000000000000007>!' })!.text).toBe('thanks <@1600000000000000007>!');
  });
});
