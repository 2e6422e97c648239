import type { KeyObject } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { BUSY_TEXT, type Adapter, type ChatEvent } from '../core/index.js';
import { createRest } from '../adapters/discord/api.js';
import { handleMessage } from '../adapters/discord/gateway.js';
import { commandLine, interactionEvent, normalizeMessage } from '../adapters/discord/normalize.js';
import { queueGate } from './helpers/queue-gate.js';
import { APP_ID, fakeDiscord, fixture, freshInteraction, postSigned, startDiscordApp, testKeys, type DiscordTestApp, type FakeDiscord } from './fixtures/discord/harness.js';

/**
 * Discord requests through the ingress: recorded in the inbox before the ack, deferred when others are queued
 * ahead (and then answered through the interaction token by the adapter's answer hook, where the request is
 * handled), refused with an ephemeral "too many requests" when the queue is full, and replayed after a crash:
 * through the token while it lasts when it was queued, else by DM through the outbox. Payloads are the
 * docs-shaped fixtures of test/fixtures/discord.
 */
const TOKEN = 'test-bot-token.not-a-real-one';
const ADMIN = 'discord:1600000000000000009';
const EPHEMERAL = 64;
/** With this many requests ahead (the ingress's inlineAhead), an answer is not waited for within the ack. */
const INLINE_AHEAD = 64;

describe('Discord through the ingress', () => {
  let fake: FakeDiscord;
  let app: DiscordTestApp;
  let key: KeyObject;
  let gate: ReturnType<typeof queueGate>;

  beforeAll(async () => {
    fake = await fakeDiscord();
    fake.on((r) => (r.path === '/api/v10/users/@me/channels' ? { status: 200, json: { id: `20${r.json.recipient_id.slice(2)}`, type: 1 } } : undefined));
    const keys = testKeys();
    key = keys.privateKey;
    app = await startDiscordApp({
      DISCORD_PUBLIC_KEY: keys.publicHex, DISCORD_APP_ID: APP_ID, DISCORD_BOT_TOKEN: TOKEN, DISCORD_API_URL: fake.apiUrl, CRM_ADMINS: ADMIN,
    });
    gate = queueGate(app, (k, round) => ({
      platform: 'discord', actor: { identity: `discord:17${String(round).padStart(3, '0')}${String(k).padStart(14, '0')}`, displayName: `filler ${k}` }, channel: '1400000000000000009',
    }));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await gate.release();
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('defers a command with others queued ahead at once, and edits @original with its answer when its turn comes', async () => {
    await gate.ahead(INLINE_AHEAD);
    const i = freshInteraction('command-crm-whoami.json');
    const r = await postSigned(app.url, i, key);
    expect(r.json).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(fake.requests.filter((x) => x.path.includes(i.token))).toEqual([]);
    gate.open();
    const patch = await fake.waitFor((x) => x.method === 'PATCH' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(patch.json.content).toBe('You are Ana Rep (discord:1600000000000000001) in tenant default.');
  });

  it('answers a queued command through its answer hook, where it is handled: the HTTP side keeps no promise for it', async () => {
    const hook = vi.spyOn(app.adapter as Required<Pick<Adapter, 'answer'>>, 'answer');
    await gate.ahead(INLINE_AHEAD);
    const i = freshInteraction('command-crm-whoami.json');
    expect((await postSigned(app.url, i, key)).json).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    gate.open();
    const patch = await fake.waitFor((x) => x.method === 'PATCH' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(patch.json.content).toBe('You are Ana Rep (discord:1600000000000000001) in tenant default.');
    const [, ev] = hook.mock.calls.find(([, e]) => e.eventId === i.id)!;
    expect(ev.answer).toMatchObject({ via: 'interaction', token: i.token, guild: true, deferred: 'command', own: false });
  });

  it('with the answer hook silent, nobody answers a queued command: its answer comes from where it is handled only', async () => {
    const hook = vi.spyOn(app.adapter as Required<Pick<Adapter, 'answer'>>, 'answer').mockResolvedValue();
    await gate.ahead(INLINE_AHEAD);
    const i = freshInteraction('command-crm-whoami.json');
    expect((await postSigned(app.url, i, key)).json).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    await gate.release();
    for (let n = 0; n < 200 && !hook.mock.calls.some(([, e]) => e.eventId === i.id); n++) await new Promise((r) => setTimeout(r, 25));
    expect(hook.mock.calls.some(([, e]) => e.eventId === i.id)).toBe(true);
    await app.engine.answersDelivered();
    expect(fake.requests.filter((x) => x.path.includes(i.token))).toEqual([]);
  });

  it('a queued click on its own (ephemeral) message: a deferred update (type 6), then the message edited by the answer hook', async () => {
    const hook = vi.spyOn(app.adapter as Required<Pick<Adapter, 'answer'>>, 'answer');
    await gate.ahead(INLINE_AHEAD);
    const i = freshInteraction('component-button-ephemeral.json', (x) => { x.message.id = '1700000000000000902'; });
    expect((await postSigned(app.url, i, key)).json).toEqual({ type: 6 });
    gate.open();
    const patch = await fake.waitFor((x) => x.method === 'PATCH' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(patch.json).toMatchObject({ content: 'discord:1600000000000000004 is now rep.', components: [] });
    expect(hook.mock.calls.find(([, e]) => e.eventId === i.id)?.[1].answer).toMatchObject({ deferred: 'click', own: true });
  });

  it('answers a full queue with an ephemeral "too many requests" and records nothing', async () => {
    vi.spyOn(app.engine.ingress, 'submit').mockResolvedValueOnce({ kind: 'busy' });
    const r = await postSigned(app.url, freshInteraction('command-customer-add-typed.json'), key);
    expect(r.json).toMatchObject({ type: 4, data: { content: BUSY_TEXT, flags: EPHEMERAL } });
    expect(await app.engine.store.tenant('default').customers.findByName('Ana Lopez')).toEqual([]);
  });

  it('releases the claim of a click refused for a full queue, so clicking again runs it', async () => {
    const click = (messageId: string) => freshInteraction('component-button-ephemeral.json', (x) => { x.message.id = messageId; });
    vi.spyOn(app.engine.ingress, 'submit').mockResolvedValueOnce({ kind: 'busy' });
    expect((await postSigned(app.url, click('1700000000000000901'), key)).json).toMatchObject({ type: 4, data: { content: BUSY_TEXT, flags: EPHEMERAL } });
    const again = await postSigned(app.url, click('1700000000000000901'), key);
    expect(again.json).toMatchObject({ type: 7, data: { content: 'discord:1600000000000000004 is now rep.' } });
  });

  describe('gateway messages', () => {
    const typed = (id: string, content: string): ChatEvent => normalizeMessage({ ...fixture('message-create.json').d, id, content })!;

    it('a typed command with others ahead shows the typing indicator, then gets its answer', async () => {
      const gatewayRest = createRest(fake.apiUrl, TOKEN);
      await gate.ahead(INLINE_AHEAD);
      const ev = typed('1800000000000000901', '/crm whoami');
      const handled = handleMessage(app.engine, gatewayRest, ev);
      await fake.waitFor((x) => x.method === 'POST' && x.path === '/api/v10/channels/1400000000000000001/typing');
      gate.open();
      await handled;
      const dm = await fake.waitFor((x) => x.method === 'POST' && x.path === '/api/v10/channels/2000000000000000005/messages');
      expect(dm.json.content).toMatch(/^You are Mia.* \(discord:1600000000000000005\) in tenant default\.$/);
      const pointer = await fake.waitFor((x) => x.path === '/api/v10/channels/1400000000000000001/messages' && x.json?.message_reference?.message_id === ev.eventId);
      expect(pointer.json.content).toBe('I sent you the answer in a DM.');
    });

    it('with the queue full, a typed command is told so in reply and nothing of it is stored; chatter waits for room and is stored once', async () => {
      const gatewayRest = createRest(fake.apiUrl, TOKEN);
      vi.spyOn(app.engine.ingress, 'submit').mockResolvedValue({ kind: 'busy' });
      const cmd = typed('1800000000000000902', '/crm whoami');
      await handleMessage(app.engine, gatewayRest, cmd);
      const busy = fake.requests.find((x) => x.path === '/api/v10/channels/1400000000000000001/messages' && x.json?.message_reference?.message_id === cmd.eventId);
      expect(busy?.json.content).toBe(BUSY_TEXT);
      // The gateway's own login retries (the fake has no gateway) come at their backoff's pace; they say nothing in chat.
      const said = () => fake.requests.filter((x) => !x.path.startsWith('/api/v10/gateway')).length;
      const before = said();
      // The queue stays full for the chatter's first two tries, then has room.
      vi.restoreAllMocks();
      const full = vi.spyOn(app.engine.ingress, 'submit');
      full.mockResolvedValueOnce({ kind: 'busy' }).mockResolvedValueOnce({ kind: 'busy' });
      await handleMessage(app.engine, gatewayRest, typed('1800000000000000903', 'just chatting'));
      expect(full).toHaveBeenCalledTimes(3);
      expect(said()).toBe(before);
      const stored = await app.engine.store.tenant('default').bulk.page('interactions', 0, 10_000);
      expect(stored.filter((x) => x.sourceEventId?.startsWith('discord:180000000000000090')).map((x) => x.text)).toEqual(['just chatting']);
    });
  });

  describe('a queued command replayed after its process died (kill -9 after the ack)', () => {
    /** The command as the dead process recorded it: queued, so with its answer address, given `ageMs` ago. */
    const recordDead = async (name: string, ageMs: number) => {
      const i = freshInteraction('command-customer-add-typed.json', (x) => { x.data.options[0].options[0].value = name; });
      const line = commandLine(i.data, app.engine.commands);
      const at = new Date(Date.now() - ageMs).toISOString();
      const ev: ChatEvent = { ...interactionEvent(i)!, text: `/${line.name} ${line.args}`, command: line, answer: { via: 'interaction', token: i.token, at, guild: true, deferred: 'command', own: false } };
      await app.engine.store.system.inbox.append([{ id: `000000002-${i.id}`, event: JSON.stringify(ev), holder: 'dead-process', leaseUntil: new Date(Date.now() - 1000).toISOString() }]);
      return i;
    };

    it('with its token under 15 minutes old: answered through the interaction webhook (PATCH @original), not by DM', async () => {
      const i = await recordDead('Ben Webhook', 60_000);
      const patch = await fake.waitFor((x) => x.method === 'PATCH' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`, 20_000);
      expect(patch.json.content).toMatch(/^Added C-\d+ Ben Webhook \(Acme Corp\), owned by you\.$/);
      expect(patch.headers.authorization).toBeUndefined();
      await app.engine.answersDelivered();
      expect(fake.requests.filter((x) => /Ben Webhook/.test(x.json?.content ?? ''))).toHaveLength(1);
      expect((await app.engine.store.tenant('default').customers.findByName('Ben Webhook')).length).toBe(1);
    });

    it('with its token past 15 minutes: answered by DM through the outbox, the webhook left alone', async () => {
      const i = await recordDead('Cid Late', 16 * 60_000);
      const dm = await fake.waitFor((x) => x.method === 'POST' && x.path === '/api/v10/channels/2000000000000000009/messages' && /Cid Late/.test(x.json?.content ?? ''), 20_000);
      expect(dm.json.content).toMatch(/^Added C-\d+ Cid Late \(Acme Corp\), owned by you\.$/);
      expect(fake.requests.filter((x) => x.path.includes(i.token))).toEqual([]);
    });
  });

  it('replays a command recorded by a process that died after the ack: run once, answered by DM through the outbox', async () => {
    const i = freshInteraction('command-customer-add-typed.json');
    const base = interactionEvent(i)!;
    const line = commandLine(i.data, app.engine.commands);
    const ev: ChatEvent = { ...base, text: `/${line.name} ${line.args}`, command: line };
    const past = new Date(Date.now() - 1000).toISOString();
    await app.engine.store.system.inbox.append([{ id: `000000001-${i.id}`, event: JSON.stringify(ev), holder: 'dead-process', leaseUntil: past }]);
    const dm = await fake.waitFor((x) => x.method === 'POST' && x.path === '/api/v10/channels/2000000000000000009/messages' && /Ana Lopez/.test(x.json?.content ?? ''), 20_000);
    expect(dm.json.content).toMatch(/^Added C-\d+ Ana Lopez \(Acme Corp\), owned by you\.$/);
    expect((await app.engine.store.tenant('default').customers.findByName('Ana Lopez')).length).toBe(1);
    // The interaction's own webhook is not used: its HTTP request went with the dead process.
    expect(fake.requests.filter((x) => x.path.includes(i.token))).toEqual([]);
    expect(await app.engine.store.system.inbox.claimStale('someone-else', new Date(Date.now() + 60_000).toISOString(), new Date(Date.now() + 70_000).toISOString(), 10)).toEqual([]);
  });
});
