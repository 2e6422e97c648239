import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { command, sub, type CoreEvents, type ParsedArgs } from '../core/index.js';
import { ANONYMOUS_NOTICE } from '../adapters/telegram/normalize.js';
import { fakeBotApi, fixture, fresh, postUpdate, SECRET, sleep, startTelegramApp, type ApiCall, type FakeBotApi, type TelegramTestApp } from './fixtures/telegram/harness.js';

// Black-box: documented update shapes posted to POST /telegram/webhook, asserted on the Bot API calls the fake recorded.
const TANJA = 'telegram:5100000001';
const SALES = -1001900000001;
const FORUM = -1001900000002;
const TOPICS = -1001900000003;
const EVERYONE = ['admin', 'manager', 'rep', 'customer'] as const;
const to = (fake: FakeBotApi, chat: number, method = 'sendMessage') => fake.calls.filter((c) => c.method === method && Number(c.params.chat_id) === chat);

/** Waits until `n` calls match, then returns them (a later duplicate would still show in the count). */
async function calls(fake: FakeBotApi, n: number, pred: (c: ApiCall) => boolean): Promise<ApiCall[]> {
  for (let i = 0; i < 400 && fake.calls.filter(pred).length < n; i++) await sleep(20);
  await sleep(100);
  return fake.calls.filter(pred);
}

describe('Telegram updates as the Bot API documents them', () => {
  let fake: FakeBotApi;
  let app: TelegramTestApp;
  const heard: CoreEvents['message.received'][] = [];
  // The app's clock runs with real time; a test moves it on past a long retry_after instead of waiting it out.
  let skewMs = 0;

  beforeAll(async () => {
    fake = await fakeBotApi();
    app = await startTelegramApp(
      { TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot },
      { tenants: [{ id: 'acme', telegramChats: [String(SALES), String(FORUM), String(TOPICS)] }], roles: { assign: { [TANJA]: 'rep' } } },
      () => Date.now() + skewMs,
    );
    app.engine.bus.on('message.received', async (e) => void heard.push(e));
    const rest = z.custom<ParsedArgs>();
    app.engine.commands.register(command({
      name: 'probe', summary: 'Test probe',
      subcommands: [
        sub({ name: 'hit', usage: '<value>', summary: 'One answer', roles: EVERYONE, args: rest, run: async (_ctx, a) => ({ text: `hit ${a.rest}` }) }),
        sub({ name: 'two', usage: '<value>', summary: 'Two answers', roles: EVERYONE, args: rest,
          run: async (_ctx, a) => [{ text: `first ${a.rest}` }, { text: `second ${a.rest}` }] }),
      ],
    }));
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('/start greets a person without a username, in their own script, with their role and the core\'s help; once', async () => {
    const u = fresh('private-start.json');
    expect((await postUpdate(app, u)).status).toBe(200);
    expect((await postUpdate(app, u)).status).toBe(200);
    const sent = await calls(fake, 3, (c) => c.method === 'sendMessage' && c.params.chat_id === 5100000010);
    expect(sent.map((c) => c.params.text.split('\n')[0])).toEqual([
      'Hello, Алёна!',
      'Commands (type /&lt;command&gt; help for details) you may run as customer:',
      '/crm: The CRM itself: help, whoami, role, roles, link, spend, export, forget',
    ]);
    expect(sent[0]!.params.text).toBe('Hello, Алёна!\nYou are Алёна Иванова (telegram:5100000010) in tenant default.\n<b>Role</b>: customer\n<b>Customer</b>: C-1');
    // Help lists what a customer may run, so staff commands are left out.
    expect(sent[1]!.params.text).toContain('<b>/points</b>');
    expect(sent[1]!.params.text).not.toContain('<b>/deal</b>');
    // A private chat needs no quote of the command.
    expect(sent.every((c) => c.params.reply_parameters === undefined)).toBe(true);
  });

  it('/start tells a rep they are a rep', async () => {
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.text = '/start'; }));
    const hello = await fake.waitFor((c) => c.params.chat_id === 5100000001 && String(c.params.text).startsWith('Hello, Tanja!'));
    expect(hello.params.text).toContain('<b>Role</b>: rep');
  });

  it('/start link-<code> (a deep link) redeems the code; the account that asked for it confirms with its button', async () => {
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.text = '/crm link'; }));
    const offer = await fake.waitFor((c) => c.params.chat_id === 5100000001 && /^Your link code is [0-9A-Z-]{24}\./.test(c.params.text));
    const code = /is ([0-9A-Z-]{24})\./.exec(offer.params.text)![1]!;
    await postUpdate(app, fresh('private-start-link.json', (x) => { x.message.text = `/start link-${code}`; }));
    const accepted = await calls(fake, 1, (c) => c.method === 'sendMessage' && c.params.chat_id === 5100000011);
    expect(accepted).toHaveLength(1);
    expect(accepted[0]!.params.text).toMatch(/^Code accepted\. Confirm on telegram:5100000001/);
    const ask = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 5100000001 && String(c.params.text).startsWith('telegram:5100000011 typed your link code'));
    const confirm = ask.params.reply_markup.inline_keyboard.flat().find((b: { text: string }) => b.text === 'Confirm link');
    await postUpdate(app, fresh('callback-query.json', (x) => {
      x.callback_query.data = confirm.callback_data;
      x.callback_query.message.message_id = 4001;
      x.callback_query.message.reply_markup = ask.params.reply_markup;
    }));
    const linked = await fake.waitFor((c) => c.method === 'editMessageText' && c.params.chat_id === 5100000001 && c.params.message_id === 4001);
    expect(linked.params.text).toMatch(/^Linked/);
  });

  it('/help lists the commands and /help <command> shows its usage', async () => {
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.text = '/help'; }));
    await fake.waitFor((c) => c.params.chat_id === 5100000001 && String(c.params.text).startsWith('Commands (type /&lt;command&gt; help'));
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.text = '/help deal'; }));
    await fake.waitFor((c) => c.params.chat_id === 5100000001 && String(c.params.text).startsWith('/deal: '));
  });

  it('answers a command in a forum topic in that topic, replying to the command, exactly once', async () => {
    const u = fresh('forum-topic-command.json');
    await postUpdate(app, u);
    await postUpdate(app, u);
    const sent = await calls(fake, 1, (c) => c.method === 'sendMessage' && c.params.chat_id === FORUM && String(c.params.text).startsWith('You are Gregor'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.params).toMatchObject({
      message_thread_id: 77,
      reply_parameters: { message_id: 310, allow_sending_without_reply: true },
      text: 'You are Gregor (telegram:5100000002) in tenant acme.\n<b>Role</b>: customer\n<b>Customer</b>: C-1',
    });
  });

  it('answers a command in a supergroup without topics by replying to it, outside any thread', async () => {
    await postUpdate(app, fresh('group-command-addressed.json', (x) => { x.message.text = '/probe hit rp-1'; }));
    const reply = await fake.waitFor((c) => c.params.text === 'hit rp-1');
    expect(reply.params).toMatchObject({ chat_id: SALES, reply_parameters: { message_id: 204, allow_sending_without_reply: true } });
    expect(reply.params.message_thread_id).toBeUndefined();
  });

  it('keeps a business chat message as the customer\'s conversation and answers commands through the business connection', async () => {
    const before = fake.calls.length;
    await postUpdate(app, fresh('business-message.json'));
    expect(heard.at(-1)).toMatchObject({ tenant: 'default', channel: '5100000020', actor: { identity: 'telegram:5100000020', displayName: '健二 佐藤' } });
    expect(heard.at(-1)!.interaction.text).toBe('Do you ship to Osaka?');
    expect(fake.calls.slice(before).filter((c) => c.method.startsWith('send'))).toHaveLength(0);

    await postUpdate(app, fresh('business-message.json', (x) => { x.business_message.text = '/crm whoami'; }));
    const reply = await fake.waitFor((c) => c.params.chat_id === 5100000020 && String(c.params.text).startsWith('You are 健二 佐藤'));
    expect(reply.params.business_connection_id).toBe('Q8mYd2rFZEoBAAAA7uVVn_cHhbA');
  });

  it('marks the stored messages of a business chat deleted when Telegram says they were deleted; unknown ids change nothing', async () => {
    const CUSTOMER = 5100000022;
    const say = (id: number, text: string) => fresh('business-message.json', (x) => {
      x.business_message.chat.id = x.business_message.from.id = CUSTOMER;
      x.business_message.message_id = id;
      x.business_message.text = text;
    });
    await postUpdate(app, say(6001, 'Is the blue one in stock?'));
    await postUpdate(app, say(6002, 'Never mind, found it'));
    const gone = fresh('deleted-business-messages.json', (x) => {
      x.deleted_business_messages.chat.id = CUSTOMER;
      x.deleted_business_messages.message_ids = [6001, 6999];
    });
    const before = fake.calls.length;
    expect((await postUpdate(app, gone)).status).toBe(200);
    expect((await postUpdate(app, gone)).status).toBe(200);
    const ts = app.engine.store.tenant('default');
    const who = await ts.identities.get(`telegram:${CUSTOMER}`);
    const stored = await ts.interactions.listForCustomer(who!.customerId!, 10);
    expect(stored.map((i) => [i.messageId, i.text, i.deleted ?? false]).sort()).toEqual([
      [`telegram:${CUSTOMER}:6001`, '', true],
      [`telegram:${CUSTOMER}:6002`, 'Never mind, found it', false],
    ]);
    expect(fake.calls.length).toBe(before);
  });

  it('tells an anonymous admin how to be known, and makes no customer of the group or the placeholder user', async () => {
    await postUpdate(app, fresh('anonymous-admin.json'));
    await postUpdate(app, fresh('anonymous-admin.json', (x) => { x.message.text = 'Welcome to all new members'; delete x.message.entities; }));
    const sent = await calls(fake, 1, (c) => c.method === 'sendMessage' && c.params.chat_id === SALES && c.params.reply_parameters?.message_id === 320);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.params.text).toBe(ANONYMOUS_NOTICE);
    const acme = app.engine.store.tenant('acme');
    expect(await acme.identities.get('telegram:1087968824')).toBeNull();
    expect(await acme.identities.get(`telegram:${SALES}`)).toBeNull();
    expect(heard.some((e) => e.interaction.text === 'Welcome to all new members')).toBe(false);
  });

  it('ignores the linked channel\'s automatic forwards and channel posts: no customer, no conversation, no answer', async () => {
    const before = fake.calls.length;
    expect((await postUpdate(app, fresh('automatic-forward.json'))).status).toBe(200);
    expect((await postUpdate(app, fresh('channel-post.json'))).status).toBe(200);
    expect(await app.engine.store.tenant('acme').identities.get('telegram:777000')).toBeNull();
    expect(heard.some((e) => e.interaction.text.startsWith('Acme 3.0 is out'))).toBe(false);
    expect(fake.calls.length).toBe(before);
  });

  it('takes an edited message without answering it', async () => {
    const before = fake.calls.length;
    expect((await postUpdate(app, fresh('edited-message.json'))).status).toBe(200);
    expect(fake.calls.length).toBe(before);
  });

  it('after a click with several answers, removes the keyboard and answers in the topic; the query is answered once', async () => {
    const u = fresh('callback-query-topic.json', (x) => { x.callback_query.data = 'probe.two|D-7'; });
    await postUpdate(app, u);
    await postUpdate(app, u);
    const sent = await calls(fake, 2, (c) => c.method === 'sendMessage' && c.params.chat_id === FORUM && /^(first|second) D-7$/.test(c.params.text));
    expect(sent.map((c) => [c.params.text, c.params.message_thread_id])).toEqual([['first D-7', 77], ['second D-7', 77]]);
    expect(fake.calls.filter((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === u.callback_query.id)).toHaveLength(1);
    const cleared = to(fake, FORUM, 'editMessageReplyMarkup');
    expect(cleared).toHaveLength(1);
    expect(cleared[0]!.params).toEqual({ chat_id: FORUM, message_id: 311 });
  });

  it('removes the keyboard of a button that has expired, and says so', async () => {
    const u = fresh('callback-query-topic.json', (x) => { x.callback_query.data = 'k:gone'; x.callback_query.message.message_id = 312; });
    await postUpdate(app, u);
    const answered = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === u.callback_query.id);
    expect(answered.params.text).toBe('This button has expired');
    await fake.waitFor((c) => c.method === 'editMessageReplyMarkup' && c.params.message_id === 312);
  });

  it('waits out a 429 on a reply (retry_after 1) and then answers exactly once', async () => {
    let refused = 0;
    fake.on((c) => (c.method === 'sendMessage' && c.params.chat_id === 5100000030 && refused++ === 0 ? fixture('error-429.json') : undefined));
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.chat.id = 5100000030; x.message.from.id = 5100000030; }));
    const sent = await calls(fake, 2, (c) => c.method === 'sendMessage' && c.params.chat_id === 5100000030);
    expect(sent.map((c) => c.params.text)).toEqual([sent[0]!.params.text, sent[0]!.params.text]);
    expect(sent[0]!.params.text).toMatch(/^You are Tanja Rep \(telegram:5100000030\)/);
    expect(refused).toBe(2);
  });

  /** Answers the first sendMessage to `chat` with a 429 asking to wait a minute, longer than auto-retry waits. */
  const refuseOnceForAMinute = (chat: number) => {
    let refused = 0;
    fake.on((c) => (c.method === 'sendMessage' && c.params.chat_id === chat && refused++ === 0 ? fixture('error-429-long.json') : undefined));
  };
  /** The outbox's own passes: before the wait is over nothing goes out; once the clock passes it, the reply does. */
  const afterTheWait = async (chat: number) => {
    await app.engine.outbox.drain();
    await app.engine.outbox.drain();
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === chat)).toHaveLength(1);
    skewMs += 61_000;
    return calls(fake, 2, (c) => c.method === 'sendMessage' && c.params.chat_id === chat);
  };

  it('hands a reply refused for longer than auto-retry waits to the outbox, which delivers it in the same topic after the wait', async () => {
    refuseOnceForAMinute(TOPICS);
    await postUpdate(app, fresh('forum-topic-command.json', (x) => { x.message.chat.id = TOPICS; x.message.text = '/probe hit later'; }));
    await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === TOPICS);
    for (let i = 0; i < 100 && !(await app.engine.store.system.outbox.depth()).telegram; i++) await sleep(20);
    const sent = await afterTheWait(TOPICS);
    expect(sent.map((c) => [c.params.text, c.params.message_thread_id])).toEqual([['hit later', 77], ['hit later', 77]]);
    expect(await app.engine.store.tenant('acme').outbox.delivered(`channel:${TOPICS}/77`, 10)).toHaveLength(1);
  });

  it('a deferred answer in a business chat still goes through the business connection, after the wait', async () => {
    const CUSTOMER = 5100000021;
    refuseOnceForAMinute(CUSTOMER);
    await postUpdate(app, fresh('business-message.json', (x) => {
      x.business_message.chat.id = x.business_message.from.id = CUSTOMER;
      x.business_message.text = '/probe hit business later';
    }));
    await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === CUSTOMER);
    for (let i = 0; i < 100 && !(await app.engine.store.system.outbox.depth()).telegram; i++) await sleep(20);
    const sent = await afterTheWait(CUSTOMER);
    expect(sent.map((c) => [c.params.text, c.params.business_connection_id])).toEqual([
      ['hit business later', 'Q8mYd2rFZEoBAAAA7uVVn_cHhbA'],
      ['hit business later', 'Q8mYd2rFZEoBAAAA7uVVn_cHhbA'],
    ]);
  });

  it('marks a person who blocked the bot unreachable when a reply is refused with 403', async () => {
    fake.on((c) => (c.params.chat_id === 5100000031 ? { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } : undefined));
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.chat.id = 5100000031; x.message.from.id = 5100000031; }));
    await fake.waitFor((c) => c.params.chat_id === 5100000031);
    for (let i = 0; i < 100 && (await app.engine.store.tenant('default').identities.get('telegram:5100000031'))?.reachable !== false; i++) await sleep(20);
    expect((await app.engine.store.tenant('default').identities.get('telegram:5100000031'))!.reachable).toBe(false);
  });
});

describe('Telegram updates through long polling', () => {
  let fake: FakeBotApi;
  let app: TelegramTestApp;

  beforeAll(async () => {
    fake = await fakeBotApi();
    app = await startTelegramApp({ TELEGRAM_API_ROOT: fake.apiRoot }, { tenants: [{ id: 'acme', telegramChats: [String(FORUM)] }] });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('answers a polled forum-topic command in its topic, replying to it, and says hello once when added to a group', async () => {
    fake.push(fresh('forum-topic-command.json'));
    fake.push(fresh('my-chat-member.json', (x) => { x.my_chat_member.chat.id = FORUM; }));
    const reply = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === FORUM && String(c.params.text).startsWith('You are Gregor'));
    expect(reply.params).toMatchObject({ message_thread_id: 77, reply_parameters: { message_id: 310 } });
    const hello = await calls(fake, 1, (c) => c.method === 'sendMessage' && c.params.chat_id === FORUM && String(c.params.text).startsWith('Hello!'));
    expect(hello).toHaveLength(1);
    expect(hello[0]!.params.text).toContain(`"${FORUM}"`);
    expect(hello[0]!.params.text).toContain('tenant "acme"');
  });

  it('replaces a polled click\'s message by the outcome and answers the query once', async () => {
    const u = fresh('callback-query-topic.json', (x) => { x.callback_query.data = 'crm.whoami|'; });
    fake.push(u);
    const edit = await fake.waitFor((c) => c.method === 'editMessageText' && c.params.chat_id === FORUM);
    expect(edit.params).toMatchObject({ message_id: 311, text: expect.stringMatching(/^You are Gregor/) });
    const answered = await calls(fake, 1, (c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === u.callback_query.id);
    expect(answered).toHaveLength(1);
  });
});
