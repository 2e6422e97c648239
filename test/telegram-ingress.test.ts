import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { BUSY_TEXT, QUEUED_TEXT, command, sub, type Adapter, type ParsedArgs } from '../core/index.js';
import { fromMessage } from '../adapters/telegram/normalize.js';
import { queueGate } from './helpers/queue-gate.js';
import { BOT, fakeBotApi, fresh, postUpdate, SECRET, sleep, startTelegramApp, type FakeBotApi, type TelegramTestApp } from './fixtures/telegram/harness.js';

/**
 * Telegram updates through the ingress (webhook mode; polling hands updates to the same middleware): recorded in
 * the inbox before the webhook's 200, answered at once or, with others queued ahead, shown as "typing…" (a click:
 * a "queued" notice) and answered in their chat when their turn comes, by the adapter's answer hook where they
 * are handled; refused when the queue is full, with nothing recorded; replayed after a crash and answered in their
 * chat when they were queued (by DM through the outbox otherwise). Updates are the docs-shaped fixtures.
 */
const TANJA = 5100000001;
/** The supergroup with forum topics of forum-topic-command.json. */
const FORUM = -1001900000002;
const EVERYONE = ['admin', 'manager', 'rep', 'customer'] as const;
/** With this many requests ahead (the ingress's inlineAhead), an answer is not waited for. */
const INLINE_AHEAD = 64;

describe('Telegram through the ingress', () => {
  let fake: FakeBotApi;
  let app: TelegramTestApp;
  let gate: ReturnType<typeof queueGate>;
  const sentTo = (chat: number, method = 'sendMessage') => fake.calls.filter((c) => c.method === method && Number(c.params.chat_id) === chat);

  beforeAll(async () => {
    fake = await fakeBotApi();
    app = await startTelegramApp({ TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });
    gate = queueGate(app, (k, round) => ({ platform: 'telegram', actor: { identity: `telegram:6${String(round).padStart(3, '0')}${String(k).padStart(5, '0')}`, displayName: `filler ${k}` }, channel: 'filler' }));
    const rest = z.custom<ParsedArgs>();
    app.engine.commands.register(command({
      name: 'probe', summary: 'Test probe',
      subcommands: [
        sub({ name: 'hit', usage: '<value>', summary: 'One answer', roles: EVERYONE, args: rest, run: async (_ctx, a) => ({ text: `hit ${a.rest}` }) }),
      ],
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

  it('acknowledges a command with others queued ahead at once, shows "typing…", and answers when its turn comes', async () => {
    await gate.ahead(INLINE_AHEAD);
    const before = sentTo(TANJA).length;
    expect((await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.text = '/probe hit queued-1'; }))).status).toBe(200);
    expect(sentTo(TANJA).length).toBe(before);
    const typing = await fake.waitFor((c) => c.method === 'sendChatAction' && Number(c.params.chat_id) === TANJA);
    expect(typing.params.action).toBe('typing');
    gate.open();
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.text === 'hit queued-1');
    expect(Number(answer.params.chat_id)).toBe(TANJA);
  });

  it('tells a click queued behind others so at once, then shows its outcome on the clicked message', async () => {
    await gate.ahead(INLINE_AHEAD);
    const u = fresh('callback-query.json', (x) => { x.callback_query.data = 'probe.hit|queued-2'; x.callback_query.message.message_id = 4101; });
    expect((await postUpdate(app, u)).status).toBe(200);
    const told = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === u.callback_query.id);
    expect(told.params.text).toBe(QUEUED_TEXT);
    expect(fake.calls.filter((c) => c.method === 'editMessageText' && c.params.message_id === 4101)).toEqual([]);
    gate.open();
    const edited = await fake.waitFor((c) => c.method === 'editMessageText' && c.params.message_id === 4101);
    expect(edited.params.text).toBe('hit queued-2');
  });

  it('answers a queued command in a forum topic in that topic, in reply to it, from its answer hook where it is handled', async () => {
    const hook = vi.spyOn(app.adapter as Required<Pick<Adapter, 'answer'>>, 'answer');
    await gate.ahead(INLINE_AHEAD);
    const u = fresh('forum-topic-command.json', (x) => { x.message.text = '/probe hit topic-1'; });
    expect((await postUpdate(app, u)).status).toBe(200);
    expect(fake.calls.filter((c) => c.params.text === 'hit topic-1')).toEqual([]);
    gate.open();
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.text === 'hit topic-1');
    expect(answer.params).toMatchObject({ chat_id: FORUM, message_thread_id: 77, reply_parameters: { message_id: 310, allow_sending_without_reply: true } });
    expect(hook.mock.calls.find(([, ev]) => ev.eventId === String(u.update_id))?.[1].answer).toEqual({ via: 'chat', chat: FORUM, thread: 77, replyTo: 310, private: false });
  });

  it('with the answer hook silent, nobody answers a queued command: the receiving side waits on nothing', async () => {
    const hook = vi.spyOn(app.adapter as Required<Pick<Adapter, 'answer'>>, 'answer').mockResolvedValue();
    await gate.ahead(INLINE_AHEAD);
    const u = fresh('forum-topic-command.json', (x) => { x.message.text = '/probe hit topic-2'; });
    expect((await postUpdate(app, u)).status).toBe(200);
    await gate.release();
    for (let n = 0; n < 200 && !hook.mock.calls.some(([, ev]) => ev.eventId === String(u.update_id)); n++) await sleep(25);
    expect(hook.mock.calls.some(([, ev]) => ev.eventId === String(u.update_id))).toBe(true);
    await app.adapter.stop!();
    expect(fake.calls.filter((c) => c.params.text === 'hit topic-2')).toEqual([]);
  });

  it('with the queue full, a command is told to send it again and nothing about its sender is stored', async () => {
    vi.spyOn(app.engine.ingress, 'submit').mockResolvedValueOnce({ kind: 'busy' });
    const u = fresh('private-command-whoami.json', (x) => { x.message.from.id = x.message.chat.id = 5100000077; });
    expect((await postUpdate(app, u)).status).toBe(200);
    const told = await fake.waitFor((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 5100000077);
    expect(told.params.text).toBe(BUSY_TEXT);
    expect(await app.engine.store.tenant('default').identities.get('telegram:5100000077')).toBeNull();
  });

  it('with the queue full, chatter waits for room instead of being dropped, and is stored once with nothing said', async () => {
    const full = vi.spyOn(app.engine.ingress, 'submit');
    full.mockResolvedValueOnce({ kind: 'busy' }).mockResolvedValueOnce({ kind: 'busy' });
    const u = fresh('private-command-whoami.json', (x) => { x.message.from.id = x.message.chat.id = 5100000078; x.message.text = 'just saying hello'; delete x.message.entities; });
    expect((await postUpdate(app, u)).status).toBe(200);
    expect(full).toHaveBeenCalledTimes(3);
    const stored = await app.engine.store.tenant('default').bulk.page('interactions', 0, 10_000);
    expect(stored.filter((i) => i.identity === 'telegram:5100000078').map((i) => i.text)).toEqual(['just saying hello']);
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === 5100000078)).toEqual([]);
  });

  it('with the queue full, a click is told so on its button and its message is left as it was', async () => {
    vi.spyOn(app.engine.ingress, 'submit').mockResolvedValueOnce({ kind: 'busy' });
    const u = fresh('callback-query.json', (x) => { x.callback_query.data = 'probe.hit|busy'; x.callback_query.message.message_id = 4102; });
    expect((await postUpdate(app, u)).status).toBe(200);
    const told = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === u.callback_query.id);
    expect(told.params.text).toBe(BUSY_TEXT);
    expect(fake.calls.filter((c) => c.params.message_id === 4102)).toEqual([]);
  });

  it('replays a queued group command recorded by a process that died after the ack: answered in its topic, not by DM', async () => {
    const u = fresh('forum-topic-command.json', (x) => { x.message.text = '/probe hit replayed-in-topic'; });
    const inbound = fromMessage(u.update_id, u.message, false, BOT.username);
    if (inbound.kind !== 'events') throw new Error('the fixture is a command');
    const ev = { ...inbound.events[0]!, answer: { via: 'chat', chat: FORUM, thread: 77, replyTo: 310, private: false } };
    const past = new Date(Date.now() - 1000).toISOString();
    await app.engine.store.system.inbox.append([{ id: `000000002-telegram-${u.update_id}`, event: JSON.stringify(ev), holder: 'dead-process', leaseUntil: past }]);
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.text === 'hit replayed-in-topic', 20_000);
    expect(answer.params).toMatchObject({ chat_id: FORUM, message_thread_id: 77, reply_parameters: { message_id: 310 } });
    await app.engine.answersDelivered();
    expect(fake.calls.filter((c) => c.params.text === 'hit replayed-in-topic')).toHaveLength(1);
  });

  it('replays a command recorded by a process that died after the ack: run once, answered by DM through the outbox', async () => {
    const u = fresh('private-command-whoami.json', (x) => { x.message.text = '/probe hit replayed'; });
    const inbound = fromMessage(u.update_id, u.message, false, BOT.username);
    if (inbound.kind !== 'events') throw new Error('the fixture is a command');
    const past = new Date(Date.now() - 1000).toISOString();
    await app.engine.store.system.inbox.append([{ id: `000000001-telegram-${u.update_id}`, event: JSON.stringify(inbound.events[0]), holder: 'dead-process', leaseUntil: past }]);
    const answer = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.text === 'hit replayed', 20_000);
    expect(Number(answer.params.chat_id)).toBe(TANJA);
    expect(fake.calls.filter((c) => c.params.text === 'hit replayed')).toHaveLength(1);
    expect(await app.engine.store.system.inbox.claimStale('someone-else', new Date(Date.now() + 60_000).toISOString(), new Date(Date.now() + 70_000).toISOString(), 10)).toEqual([]);
  });
});
