import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { command, sub, type CoreEvents, type ParsedArgs } from '../core/index.js';
import { BOT, fakeBotApi, fresh, postUpdate, SECRET, sleep, startTelegramApp, type FakeBotApi, type TelegramTestApp } from './fixtures/telegram/harness.js';

const TANJA = 'telegram:5100000001';
const GROUP = -1001900000001;
const EVERYONE = ['admin', 'manager', 'rep', 'customer'] as const;
const sent = (fake: FakeBotApi, chat: number) => fake.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === chat);

describe('Telegram webhook', () => {
  let fake: FakeBotApi;
  let app: TelegramTestApp;
  const probed: string[] = [];

  beforeAll(async () => {
    fake = await fakeBotApi();
    app = await startTelegramApp(
      { TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_WEBHOOK_URL: 'https://crm.example.com/telegram/webhook', TELEGRAM_API_ROOT: fake.apiRoot },
      { tenants: [{ id: 'acme', telegramChats: [String(GROUP)] }], roles: { assign: { [TANJA]: 'rep' } } },
    );
    // Test-only command: records the values its buttons bring back, offers a button too long for callback_data, or fails.
    const rest = z.custom<ParsedArgs>();
    app.engine.commands.register(command({
      name: 'probe', summary: 'Test probe',
      subcommands: [
        sub({ name: 'hit', usage: '<value>', summary: 'Record a value', roles: EVERYONE, args: rest,
          run: async (_ctx, a) => { probed.push(a.rest); return { text: `hit ${a.rest}` }; } }),
        sub({ name: 'long', usage: '', summary: 'A long button', roles: EVERYONE, args: rest,
          run: async () => ({ text: 'Pick:', buttons: [{ id: 'probe.hit', label: 'Grüße', value: 'Grüße aus Köln — ünïcödé '.repeat(4) }] }) }),
        sub({ name: 'boom', usage: '', summary: 'Fails', roles: EVERYONE, args: rest,
          run: async () => { throw new Error('boom'); } }),
      ],
    }));
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('registers the command menu and the webhook at start-up', () => {
    expect(fake.calls.some((c) => c.method === 'getMe')).toBe(true);
    const menu = fake.calls.find((c) => c.method === 'setMyCommands')!;
    expect(menu.params.commands).toContainEqual({ command: 'crm', description: expect.stringMatching(/^The CRM itself/) });
    expect(menu.params.commands.map((c: { command: string }) => c.command)).toEqual(expect.arrayContaining(['crm', 'deal', 'customer', 'log']));
    expect(menu.params.commands[0]).toEqual({ command: 'help', description: expect.stringMatching(/^What you can do here/) });
    const hook = fake.calls.find((c) => c.method === 'setWebhook')!;
    expect(hook.params).toEqual({ url: 'https://crm.example.com/telegram/webhook', secret_token: SECRET, allowed_updates: ['message', 'edited_message', 'business_message', 'edited_business_message', 'deleted_business_messages', 'callback_query', 'my_chat_member'] });
  });

  it('answers /crm whoami from a private chat with a sendMessage, after a quick 200', async () => {
    const r = await postUpdate(app, fresh('private-command-whoami.json'));
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2500);
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 5100000001 && /whoami|You are/.test(c.params.text));
    expect(call.params).toMatchObject({
      parse_mode: 'HTML',
      text: 'You are Tanja Rep (telegram:5100000001) in tenant default.\n<b>Role</b>: rep\n<b>Customer</b>: none',
    });
    expect(await app.engine.store.tenant('default').identities.get(TANJA)).toMatchObject({ platform: 'telegram', displayName: 'Tanja Rep', locale: 'de' });
  });

  it('refuses a wrong or missing secret with 401 and changes nothing', async () => {
    const u = fresh('private-command-whoami.json', (x) => { x.message.from.id = 5100000077; x.message.chat.id = 5100000077; });
    expect((await postUpdate(app, u, 'wrong-secret')).status).toBe(401);
    expect((await postUpdate(app, u, `${SECRET}x`)).status).toBe(401);
    expect((await postUpdate(app, u, null)).status).toBe(401);
    await sleep(300);
    expect(await app.engine.store.tenant('default').identities.get('telegram:5100000077')).toBeNull();
    expect(sent(fake, 5100000077)).toHaveLength(0);
    // The update id was not marked seen: the same update with the right secret is processed.
    expect((await postUpdate(app, u)).status).toBe(200);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 5100000077);
  });

  it('rejects bodies that are not JSON or not an update with 400', async () => {
    expect((await postUpdate(app, '{nope')).status).toBe(400);
    expect((await postUpdate(app, { update_id: 'x' })).status).toBe(400);
    const noId = fresh('private-command-whoami.json');
    delete noId.update_id;
    expect((await postUpdate(app, noId)).status).toBe(400);
    const badMessage = fresh('private-command-whoami.json', (x) => { x.message.chat.id = 'me'; });
    expect((await postUpdate(app, badMessage)).status).toBe(400);
  });

  it('answers a command addressed @CrmTestBot in a supergroup, in the tenant the chat maps to', async () => {
    await postUpdate(app, fresh('group-command-addressed.json'));
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === GROUP && c.params.text.startsWith('You are Gregor'));
    expect(call.params.text).toBe('You are Gregor (telegram:5100000002) in tenant acme.\n<b>Role</b>: customer\n<b>Customer</b>: C-1');
    await postUpdate(app, fresh('group-command-addressed.json', (x) => { x.message.text = '/crm@CrmTestBot help'; x.message.entities[0].length = 15; }));
    await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === GROUP && c.params.text.startsWith('Commands (type /&lt;command&gt; help'));
  });

  it('ignores a command addressed to another bot', async () => {
    await postUpdate(app, fresh('group-command-other-bot.json', (x) => { x.message.from.id = 5100000009; }));
    // A later update of the same chat is answered after it (per-chat order), so by then the first was dropped.
    await postUpdate(app, fresh('group-command-addressed.json', (x) => { x.message.text = '/probe@CrmTestBot hit marker-1'; }));
    await fake.waitFor((c) => c.method === 'sendMessage' && c.params.text === 'hit marker-1');
    expect(fake.calls.filter((c) => JSON.stringify(c.params).includes('5100000009'))).toHaveLength(0);
    expect(await app.engine.store.tenant('acme').identities.get('telegram:5100000009')).toBeNull();
  });

  it('processes a re-sent update_id once', async () => {
    const u = fresh('group-command-addressed.json', (x) => { x.message.text = '/probe hit dup-1'; });
    const [a, b] = await Promise.all([postUpdate(app, u), postUpdate(app, u)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await postUpdate(app, u)).status).toBe(200);
    await postUpdate(app, fresh('group-command-addressed.json', (x) => { x.message.text = '/probe hit marker-2'; }));
    await fake.waitFor((c) => c.params.text === 'hit marker-2');
    expect(fake.calls.filter((c) => c.params.text === 'hit dup-1')).toHaveLength(1);
    expect(probed.filter((v) => v === 'dup-1')).toHaveLength(1);
  });

  it('puts a plain group message on the event bus as an interaction, without answering', async () => {
    const got = new Promise<CoreEvents['message.received']>((ok) => app.engine.bus.on('message.received', async (e) => ok(e)));
    const before = fake.calls.length;
    const u = fresh('group-message.json');
    expect((await postUpdate(app, u)).status).toBe(200);
    const e = await got;
    expect(e).toMatchObject({ tenant: 'acme', platform: 'telegram', channel: String(GROUP), permalink: 'https://t.me/c/1900000001/206' });
    expect(e.actor).toMatchObject({ identity: 'telegram:5100000003', displayName: 'Mira Kunde', locale: 'en' });
    expect(e.interaction).toMatchObject({ type: 'message', direction: 'in', text: 'The new <b>Acme</b> dashboard & reports look great', sourceEventId: `telegram:${u.update_id}` });
    expect(fake.calls.slice(before).filter((c) => c.method.startsWith('send'))).toHaveLength(0);
  });

  it('turns a button click into an action, answers the callback query and replaces the clicked message by the outcome', async () => {
    const u = fresh('callback-query.json');
    await postUpdate(app, u);
    const answered = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === u.callback_query.id);
    expect(answered.params.text).toBeUndefined();
    const edit = await fake.waitFor((c) => c.method === 'editMessageText' && c.params.text === 'hit D-12');
    expect(edit.params).toMatchObject({ chat_id: 5100000001, message_id: 12, parse_mode: 'HTML' });
    // The outcome took the place of the message and its keyboard: nothing new was posted.
    expect(edit.params.reply_markup).toBeUndefined();
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && c.params.text === 'hit D-12')).toHaveLength(0);
    expect(probed).toContain('D-12');
  });

  it('answers the callback query even when the action fails', async () => {
    const u = fresh('callback-query.json', (x) => { x.callback_query.data = 'probe.boom|'; });
    await postUpdate(app, u);
    const answered = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === u.callback_query.id);
    expect(answered.params.text).toMatch(/went wrong/);
  });

  it('keeps a long multibyte button value in the store and resolves it on click; an unknown key has expired', async () => {
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.text = '/probe long'; }));
    const offer = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.text === 'Pick:');
    const data: string = offer.params.reply_markup.inline_keyboard[0][0].callback_data;
    expect(data).toMatch(/^k:/);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);

    const click = fresh('callback-query.json', (x) => { x.callback_query.data = data; });
    await postUpdate(app, click);
    await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === click.callback_query.id);
    expect(probed).toContain('Grüße aus Köln — ünïcödé '.repeat(4).trim());

    const before = probed.length;
    const stale = fresh('callback-query.json', (x) => { x.callback_query.data = 'k:doesnotexist'; });
    await postUpdate(app, stale);
    const answered = await fake.waitFor((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === stale.callback_query.id);
    expect(answered.params.text).toBe('This button has expired');
    expect(probed.length).toBe(before);
  });

  it('says once, when added to a group, how an admin maps it to a tenant; other membership changes only log', async () => {
    const u = fresh('my-chat-member.json', (x) => { x.my_chat_member.from.id = 5100000055; x.my_chat_member.chat.id = -1001900000055; });
    expect((await postUpdate(app, u)).status).toBe(200);
    expect((await postUpdate(app, u)).status).toBe(200);
    const hello = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === -1001900000055);
    expect(hello.params.text).toContain('-1001900000055');
    expect(hello.params.text).toContain('"telegramChats"');
    const kicked = fresh('my-chat-member.json', (x) => {
      x.my_chat_member.chat.id = -1001900000055;
      x.my_chat_member.old_chat_member.status = 'member';
      x.my_chat_member.new_chat_member.status = 'kicked';
    });
    expect((await postUpdate(app, kicked)).status).toBe(200);
    expect(sent(fake, -1001900000055)).toHaveLength(1);
    expect(await app.engine.store.tenant('default').identities.get('telegram:5100000055')).toBeNull();
  });

  it('runs the sales desk: /deal add Acme 1200 then /deal list', async () => {
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.text = '/deal add Acme 1200'; }));
    const added = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 5100000001 && /Deal D-\d+ added/.test(c.params.text));
    expect(added.params.text).toMatch(/^New customer C-\d+ Acme created\. Deal D-\d+ added\./);
    await postUpdate(app, fresh('private-command-whoami.json', (x) => { x.message.text = '/deal list'; }));
    const list = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 5100000001 && c.params.text.startsWith('1 deal of yours:'));
    expect(list.params.text).toMatch(/\n<b>Open, lead \(10%\): 1 deal<\/b>: D-\d+ Acme: \$1,200\.00/);
  });
});

describe('Telegram webhook when getMe fails at start-up', () => {
  let fake: FakeBotApi;
  let app: TelegramTestApp;

  beforeAll(async () => {
    fake = await fakeBotApi();
    fake.on((c) => (c.method === 'getMe' ? { ok: false, error_code: 401, description: 'Unauthorized' } : undefined));
    app = await startTelegramApp({ TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('still starts; updates are refused with 503 (Telegram re-sends them) until getMe answers, then handled', async () => {
    expect(fake.calls.some((c) => c.method === 'setWebhook')).toBe(false);
    const u = fresh('group-command-addressed.json');
    expect((await postUpdate(app, u)).status).toBe(503);
    expect(sent(fake, GROUP)).toHaveLength(0);
    fake.on((c) => (c.method === 'getMe' ? { ok: true, result: BOT } : undefined));
    expect((await postUpdate(app, u)).status).toBe(200);
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === GROUP);
    expect(call.params.text).toMatch(/^You are Gregor \(telegram:5100000002\) in tenant default\./);
  });
});
