import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { command, sub, type ParsedArgs } from '../core/index.js';
import { fakeBotApi, fresh, sleep, startTelegramApp, type FakeBotApi, type TelegramTestApp } from './fixtures/telegram/harness.js';

const EVERYONE = ['admin', 'manager', 'rep', 'customer'] as const;
const say = (chat: number, text: string) => fresh('private-command-whoami.json', (x) => {
  x.message.text = text;
  x.message.chat.id = chat;
  x.message.from.id = chat;
});

describe('Telegram long polling', () => {
  let fake: FakeBotApi;
  let app: TelegramTestApp;
  let stopped = false;

  beforeAll(async () => {
    fake = await fakeBotApi();
    app = await startTelegramApp({ TELEGRAM_API_ROOT: fake.apiRoot });
    // `/wait <ms> <label>` answers after a pause, to observe ordering within and across chats.
    app.engine.commands.register(command({
      name: 'wait', summary: 'Answers after a pause',
      subcommands: [sub({ name: 'for', usage: '<ms> <label>', summary: 'Pause, then answer', roles: EVERYONE, args: z.custom<ParsedArgs>(),
        run: async (_ctx, a) => {
          const [ms, label] = a.rest.split(' ');
          await sleep(Number(ms));
          return { text: `done ${label}` };
        } })],
    }));
  });
  afterAll(async () => {
    if (!stopped) await app?.stop();
    await fake?.close();
  });

  it('has no webhook route and polls getUpdates for exactly the update types it handles', async () => {
    expect((await fetch(`${app.url}/telegram/webhook`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(fake.calls.find((c) => c.method === 'deleteWebhook')!.params).toEqual({ drop_pending_updates: false });
    expect(fake.calls.some((c) => c.method === 'setWebhook')).toBe(false);
    expect(fake.calls.some((c) => c.method === 'setMyCommands')).toBe(true);
    await sleep(100);
    expect(fake.polls[0]!.params.allowed_updates).toEqual(['message', 'edited_message', 'business_message', 'edited_business_message', 'deleted_business_messages', 'callback_query', 'my_chat_member']);
  });

  it('answers a polled /crm whoami', async () => {
    fake.push(say(5300000001, '/crm whoami'));
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 5300000001);
    expect(call.params.text).toMatch(/^You are Tanja Rep \(telegram:5300000001\) in tenant default\./);
  });

  it('keeps each chat in order and serves other chats meanwhile', async () => {
    fake.push(say(5300000002, '/wait for 600 slow-a'));
    fake.push(say(5300000002, '/wait for 0 fast-a'));
    fake.push(say(5300000003, '/wait for 0 fast-b'));
    await fake.waitFor((c) => c.params.text === 'done fast-a');
    const order = fake.calls.filter((c) => c.method === 'sendMessage' && /^done /.test(c.params.text)).map((c) => c.params.text);
    expect(order).toEqual(['done fast-b', 'done slow-a', 'done fast-a']);
  });

  it('stops polling on stop()', async () => {
    await app.stop();
    stopped = true;
    const polled = fake.polls.length;
    await sleep(400);
    expect(fake.polls.length).toBe(polled);
  });
});
