import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { adaptersFor, PLUGINS_DIR, processingThread } from '../adapters/compose.js';
import { openStore, startApp, type ChatEvent, type RunningApp } from '../core/index.js';
import { interactionEvent } from '../adapters/discord/normalize.js';
import { fromMessage } from '../adapters/telegram/normalize.js';
import { APP_ID, fakeDiscord, freshInteraction, testKeys } from './fixtures/discord/harness.js';
import { BOT, fakeBotApi, fresh, SECRET, TOKEN } from './fixtures/telegram/harness.js';

/**
 * `npm start`'s shape: the HTTP thread verifies, records and acknowledges; a second thread, with its own
 * store connection, plugins and adapters, does the work. Driven here through real sockets and the SQLite file.
 */
const running: RunningApp[] = [];
afterEach(async () => {
  for (const app of running.splice(0)) await app.stop();
});

async function start(dataDir: string, env: Record<string, string> = {}): Promise<{ app: RunningApp; url: string }> {
  const raw = { PORT: '0', HOST: '127.0.0.1', CRM_DATA_DIR: dataDir, CRM_CONFIG: 'test.json', ...env };
  const config = loadConfig(raw, () => JSON.stringify({ roles: { assign: { 'web:ann': 'admin' } } }));
  const app = await startApp({
    config, role: 'all', adapters: await adaptersFor(config), pluginsDir: PLUGINS_DIR, logger: pino({ level: 'silent' }), processingThread: processingThread(config),
  });
  running.push(app);
  return { app, url: `http://127.0.0.1:${app.port}` };
}

const say = async (url: string, user: string, text: string) => {
  const res = await fetch(`${url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user, text }) });
  return { status: res.status, body: (await res.json()) as { replies: { text: string }[] } };
};

describe('a processing thread beside the HTTP thread', () => {
  it("makes the adapters' start-up calls once per process, not once per thread", async () => {
    const fake = await fakeBotApi();
    try {
      await start(mkdtempSync(join(tmpdir(), 'crm-thread-')), {
        TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_WEBHOOK_URL: 'https://crm.example.com/telegram/webhook', TELEGRAM_API_ROOT: fake.apiRoot,
      });
      expect(['getMe', 'setMyCommands', 'setWebhook'].map((m) => fake.calls.filter((c) => c.method === m).length)).toEqual([1, 1, 1]);
    } finally {
      for (const app of running.splice(0)) await app.stop();
      await fake.close();
    }
  });

  it('answers commands with the work done there, and /metrics sums both threads', async () => {
    const { app, url } = await start(mkdtempSync(join(tmpdir(), 'crm-thread-')));
    const added = await say(url, 'ann', '/customer add Acme');
    expect(added.status).toBe(200);
    expect(added.body.replies[0]!.text).toMatch(/^Added C-1 Acme/);
    expect((await say(url, 'ann', '/log note acme asked about pricing')).body.replies[0]!.text).toBe('Logged a note with C-1 Acme.');
    // Stored through the other thread's connection, read back through this one's.
    const notes = await app.engine.store.tenant('default').interactions.listForCustomer(1, 10);
    expect(notes.map((i) => i.text)).toEqual(['asked about pricing']);
    // The work ran elsewhere: this thread counted no command itself, and /metrics still shows both.
    expect(app.engine.metrics.snapshot().counters.crm_ingested_events_total).toEqual([]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('crm_ingested_events_total{kind="command",platform="web"} 2');
    expect(metrics).toContain('crm_command_duration_seconds_count{command="customer"} 1');
  });

  it('replays what a dead process recorded, once, and the person gets the answer in their web inbox', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-thread-'));
    const store = await openStore({ dataDir });
    const ev: ChatEvent = { platform: 'web', scope: null, actor: { identity: 'web:ann', displayName: 'ann' }, channel: 'web', eventId: 'dead-1', text: '/customer add Zed' };
    await store.system.inbox.append([{ id: '000000001-dead', event: JSON.stringify(ev), holder: 'dead-process', leaseUntil: '2000-01-01T00:00:00.000Z' }]);
    await store.close();

    const { app, url } = await start(dataDir);
    let inbox: { text: string }[] = [];
    for (let i = 0; i < 100 && !inbox.length; i++) {
      await new Promise((r) => setTimeout(r, 100));
      inbox = ((await (await fetch(`${url}/web/api/inbox?user=ann`)).json()) as { messages: { text: string }[] }).messages;
    }
    expect(inbox.map((m) => m.text)).toEqual([expect.stringMatching(/^Added C-1 Zed/)]);
    const found = await app.engine.store.tenant('default').customers.findByName('Zed');
    expect(found.map((c) => c.name)).toEqual(['Zed']);
    expect(await app.engine.store.system.inbox.claimStale('anyone', new Date(Date.now() + 3_600_000).toISOString(), new Date(Date.now() + 7_200_000).toISOString(), 10)).toEqual([]);
  });

  it('a graceful stop handles everything it acknowledged first', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-thread-'));
    const { app, url } = await start(dataDir);
    await say(url, 'ann', '/customer add Acme');
    const sent = await Promise.all(Array.from({ length: 100 }, (_, i) => say(url, `rep${i}`, `/log note acme note ${i}`)));
    expect(sent.every((s) => s.status === 200 || s.status === 202)).toBe(true);
    await app.stop();
    running.splice(running.indexOf(app), 1);
    const store = await openStore({ dataDir });
    const texts = (await store.tenant('default').interactions.listForCustomer(1, 1000)).map((i) => i.text).sort();
    await store.close();
    expect(texts).toEqual(Array.from({ length: 100 }, (_, i) => `note ${i}`).sort());
  });
});

describe('Discord and Telegram answers with a processing thread', () => {
  it('a queued request replayed after its process died is answered where it was asked, by the processing thread', async () => {
    const [discord, telegram] = [await fakeDiscord(), await fakeBotApi()];
    try {
      const dataDir = mkdtempSync(join(tmpdir(), 'crm-thread-'));
      // What a process killed right after acking two queued requests left in the inbox, with their answer addresses.
      const i = freshInteraction('command-crm-whoami.json');
      const asked: ChatEvent = {
        ...interactionEvent(i)!, text: '/crm whoami', command: { name: 'crm', args: 'whoami' },
        answer: { via: 'interaction', token: i.token, at: new Date().toISOString(), guild: true, deferred: 'command', own: false },
      };
      const u = fresh('forum-topic-command.json');
      const inbound = fromMessage(u.update_id, u.message, false, BOT.username);
      if (inbound.kind !== 'events') throw new Error('the fixture is a command');
      const topic: ChatEvent = { ...inbound.events[0]!, answer: { via: 'chat', chat: u.message.chat.id, thread: 77, replyTo: 310, private: false } };
      const store = await openStore({ dataDir });
      const dead = (id: string, ev: ChatEvent) => ({ id, event: JSON.stringify(ev), holder: 'dead-process', leaseUntil: '2000-01-01T00:00:00.000Z' });
      await store.system.inbox.append([dead('000000001-discord', asked), dead('000000002-telegram', topic)]);
      await store.close();

      const raw = {
        PORT: '0', HOST: '127.0.0.1', CRM_DATA_DIR: dataDir, CRM_CONFIG: 'test.json',
        DISCORD_PUBLIC_KEY: testKeys().publicHex, DISCORD_APP_ID: APP_ID, DISCORD_API_URL: discord.apiUrl,
        TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: telegram.apiRoot,
      };
      const config = loadConfig(raw, () => JSON.stringify({}));
      const adapters = await adaptersFor(config);
      // This (HTTP) thread's own answer hooks: none is expected to run, the processing thread answers.
      let here = 0;
      for (const a of adapters) {
        const answer = a.answer;
        if (answer) a.answer = (engine, ev, replies) => (here++, answer(engine, ev, replies));
      }
      const app = await startApp({ config, role: 'all', adapters, pluginsDir: PLUGINS_DIR, logger: pino({ level: 'silent' }), processingThread: processingThread(config) });
      running.push(app);

      const patch = await discord.waitFor((x) => x.method === 'PATCH' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`, 30_000);
      expect(patch.json.content).toMatch(/^You are .* \(discord:1600000000000000001\) in tenant default\.$/);
      const sent = await telegram.waitFor((c) => c.method === 'sendMessage' && String(c.params.text).startsWith('You are Gregor'), 30_000);
      expect(sent.params).toMatchObject({ chat_id: -1001900000002, message_thread_id: 77, reply_parameters: { message_id: 310 } });
      expect(here).toBe(0);
    } finally {
      for (const app of running.splice(0)) await app.stop();
      await discord.close();
      await telegram.close();
    }
  }, 60_000);
});
