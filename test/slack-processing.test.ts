import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { adaptersFor, PLUGINS_DIR, processingThread } from '../adapters/compose.js';
import { RESPONSE_URL_TTL_MS } from '../adapters/slack/answer.js';
import { commandEvent } from '../adapters/slack/normalize.js';
import { slashCommandSchema } from '../adapters/slack/payloads.js';
import { openStore, startApp, type Adapter, type ChatEvent, type RunningApp } from '../core/index.js';
import { BOT_TOKEN, FakeSlack, fixture, postSigned, SIGNING_SECRET, slash, startSlackApp, type SlackTestApp } from './fixtures/slack/harness.js';
import { startProcess } from './helpers/process.js';

/**
 * Where Slack answers come from: the thread that received a request verifies, records and acks it; the person is
 * named (users.info) and answered (response_url, chat.postEphemeral) where the request is handled, the processing
 * thread, from the address recorded with the event, so a replay after a kill -9 answers where it was asked.
 */
const STEVE = 'slack:T0001:U2147483697';
const slackEnv = (fake: FakeSlack, dataDir: string) => ({
  CRM_DATA_DIR: dataDir, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: `${fake.url}/api/`,
});

describe('a processing thread beside the HTTP thread, with Slack', () => {
  const fake = new FakeSlack();
  let app: RunningApp;
  let url: string;
  /** Calls of the HTTP thread's own Slack adapter hooks: none is expected, the other thread names and answers. */
  const here = { complete: 0, answer: 0 };

  beforeAll(async () => {
    await fake.start();
    const raw = { PORT: '0', HOST: '127.0.0.1', CRM_CONFIG: 'test.json', ...slackEnv(fake, mkdtempSync(join(tmpdir(), 'crm-slackproc-'))) };
    const config = loadConfig(raw, () => JSON.stringify({}));
    const adapters = await adaptersFor(config);
    const slack = adapters.find((a) => a.platform === 'slack') as Required<Pick<Adapter, 'complete' | 'answer'>>;
    const [complete, answer] = [slack.complete, slack.answer];
    slack.complete = (engine, ev) => (here.complete++, complete(engine, ev));
    slack.answer = (engine, ev, replies) => (here.answer++, answer(engine, ev, replies));
    app = await startApp({ config, role: 'all', adapters, pluginsDir: PLUGINS_DIR, logger: pino({ level: 'silent' }), processingThread: processingThread(config) });
    url = `http://127.0.0.1:${app.port}`;
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('a slash command: acked here, named and answered at its response_url by the processing thread', async () => {
    const form = slash(fake, '/crm', 'whoami');
    const r = await postSigned({ url }, { form });
    expect(r.status).toBe(200);
    const sent = await fake.waitFor((c) => c.method === new URL(form.response_url!).pathname);
    // users.info's display name, looked up before the command ran.
    expect(sent.body.text).toContain(`You are Steve (${STEVE})`);
    expect(sent.body.response_type).toBe('ephemeral');
    expect(fake.of('users.info').map((c) => c.body.user)).toContain('U2147483697');
    expect(here).toEqual({ complete: 0, answer: 0 });
  });

  it('a command addressed with @crm: answered ephemerally in its channel by the processing thread', async () => {
    const r = await postSigned({ url }, { json: fixture('event-app-mention.json') });
    expect(r.status).toBe(200);
    const sent = await fake.waitFor((c) => c.method === 'chat.postEphemeral');
    expect(sent.body).toMatchObject({ channel: 'C2147483705', user: 'U2147483697' });
    expect(sent.body.text).toContain(STEVE);
    expect(here).toEqual({ complete: 0, answer: 0 });
  });

  it('a button click: the clicked message is replaced with the outcome by the processing thread', async () => {
    const base = fixture('block-actions.json');
    const payload = { ...base, trigger_id: '13345224609.738474920.click0001', response_url: `${fake.url}/respond/click-proc`, actions: [{ ...base.actions[0], action_id: 'crm.whoami#0', value: '' }] };
    const r = await postSigned({ url }, { payload });
    expect(r.status).toBe(200);
    const sent = await fake.waitFor((c) => c.method === '/respond/click-proc');
    expect(sent.body).toMatchObject({ replace_original: true, text: expect.stringContaining(`You are Steve (${STEVE})`) });
    expect(here).toEqual({ complete: 0, answer: 0 });
  });
});

describe('a process killed (kill -9) after acknowledging a slash command', () => {
  it('the next process replays it and answers at its response_url, once', async () => {
    const fake = new FakeSlack();
    await fake.start();
    // users.info is held until the ack is in: the command cannot run, nor the process die, before Slack has its ack.
    let release!: () => void;
    const acked = new Promise<void>((ok) => (release = ok));
    fake.answers('users.info', async (body) => (await acked, { body: fake.defaults('users.info', body) }));
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-slackproc-'));
    const env = { ...slackEnv(fake, dataDir), CRM_ADMINS: STEVE };
    try {
      // The fault switch kills the process right after the command's customer is stored, before it answers.
      const armed = await startProcess({ ...env, CRM_FAULT_CRASH_AFTER_COMMIT: '1', NODE_ENV: 'test' });
      const form = slash(fake, '/customer', 'add Acme');
      const path = new URL(form.response_url!).pathname;
      const r = await postSigned(armed, { form });
      expect([r.status, r.text]).toEqual([200, '']);
      release();
      expect(await armed.exited).not.toBe(0);
      expect(fake.of(path)).toEqual([]);

      // Its lease on the recorded command runs out (10 s) and the next process replays it.
      const again = await startProcess(env);
      try {
        const answer = await fake.waitFor((c) => c.method === path, 40_000);
        expect(answer.body).toMatchObject({ text: expect.stringMatching(/^Added C-1 Acme/), response_type: 'ephemeral' });
      } finally {
        again.child.kill('SIGTERM');
        await again.exited;
      }
      expect(fake.of(path)).toHaveLength(1);
      // Answered where it was asked, not by DM.
      expect(fake.of('chat.postMessage')).toEqual([]);
      const store = await openStore({ dataDir });
      const customers = await store.tenant('default').customers.findByName('Acme');
      await store.close();
      expect(customers.map((c) => c.name)).toEqual(['Acme']);
    } finally {
      release();
      await fake.stop();
    }
  }, 120_000);
});

describe('where the Slack adapter answers an event from its recorded address', () => {
  const fake = new FakeSlack();
  let app: SlackTestApp;
  beforeAll(async () => {
    await fake.start();
    app = await startSlackApp(fake);
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });
  const asked = (answer: Record<string, unknown>): ChatEvent => ({ ...commandEvent(slashCommandSchema.parse(slash(fake, '/crm', 'whoami'))), answer });
  const dms = (text: string) => fake.of('chat.postMessage').filter((c) => c.body.text === text);

  it('a response_url given under 30 minutes ago: there', async () => {
    await app.adapter.answer!(app.engine, asked({ via: 'response_url', url: `${fake.url}/respond/live`, at: app.engine.now() }), [{ text: 'live answer' }]);
    expect(fake.of('/respond/live').map((c) => c.body.text)).toEqual(['live answer']);
  });

  it('a response_url older than Slack keeps it (a late replay): by DM instead, through the outbox', async () => {
    const at = new Date(Date.now() - RESPONSE_URL_TTL_MS - 1000).toISOString();
    await app.adapter.answer!(app.engine, asked({ via: 'response_url', url: `${fake.url}/respond/stale`, at }), [{ text: 'late answer' }]);
    const dm = await fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.text === 'late answer');
    expect(dm.body.channel).toBe('DU2147483697');
    expect(fake.of('/respond/stale')).toEqual([]);
  });

  it('an address it cannot read: by DM, and nothing else is called', async () => {
    await app.adapter.answer!(app.engine, asked({ via: 'response_url', url: 'not a url' }), [{ text: 'unreadable address' }]);
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.body.text === 'unreadable address');
    expect(dms('unreadable address')).toHaveLength(1);
  });

  it('in place: ephemeral to the person in the thread it was asked in, public to the channel', async () => {
    const ev = asked({ via: 'in_place', channel: 'C2147483705', user: 'U2147483697', threadTs: '1700000100.000200' });
    await app.adapter.answer!(app.engine, ev, [{ text: 'just you' }, { text: 'everyone', visibility: 'public' }]);
    expect(fake.of('chat.postEphemeral').find((c) => c.body.text === 'just you')?.body).toMatchObject({ channel: 'C2147483705', user: 'U2147483697', thread_ts: '1700000100.000200' });
    expect(fake.of('chat.postMessage').find((c) => c.body.text === 'everyone')?.body).toMatchObject({ channel: 'C2147483705', thread_ts: '1700000100.000200' });
  });
});
