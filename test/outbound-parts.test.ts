import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackAdapter } from '../adapters/slack/index.js';
import type { Adapter } from '../core/index.js';
import { startTestApp, type TestApp } from './helpers/app.js';
import { BOT_TOKEN, FakeSlack, SIGNING_SECRET } from './fixtures/slack/harness.js';
import { fakeBotApi, fixture, startTelegramApp, type FakeBotApi, type TelegramTestApp } from './fixtures/telegram/harness.js';

// A reply sent in several platform calls whose second call fails: the outbox retries it, and the retry
// sends only what did not go out. Each app's outbox is driven by hand on a clock the test moves.
const START = Date.parse('2026-06-30T12:00:00.000Z');
const PNG = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

describe('a Telegram message split in parts, the second refused with a long 429', () => {
  const clock = { t: START };
  let fake: FakeBotApi;
  let app: TelegramTestApp;
  beforeAll(async () => {
    fake = await fakeBotApi();
    app = await startTelegramApp({ TELEGRAM_API_ROOT: fake.apiRoot }, undefined, () => clock.t);
    await app.engine.outbox.stop();
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('sends the first part once and the second once more after the wait', async () => {
    const chat = 5300000001;
    const text = `${'a'.repeat(3000)}\n\n${'b'.repeat(3000)}`;
    let refused = 0;
    // https://core.telegram.org/bots/api#responseparameters: retry_after 60 is beyond what auto-retry waits out.
    fake.on((c) => (c.params.chat_id === chat && String(c.params.text).startsWith('b') && refused++ === 0 ? fixture('error-429-long.json') : undefined));
    await app.engine.outbox.send('default', { platform: 'telegram', target: `telegram:${chat}`, reply: { text }, idempotencyKey: 'split-1' });

    expect(await app.engine.outbox.drain()).toBe(1);
    // The item waits for its retry with the first part on record.
    const [pending] = await app.engine.store.system.outbox.claim('peek', new Date(clock.t + 61_000).toISOString(), 1, 1, ['telegram']);
    expect(pending).toMatchObject({ status: 'pending', lastError: expect.stringMatching(/429/), parts: { 'message:0': expect.stringMatching(/^\d+$/) } });
    await app.engine.store.system.outbox.release('peek');

    clock.t += 61_000;
    expect(await app.engine.outbox.drain()).toBe(1);
    const sent = fake.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === chat).map((c) => String(c.params.text)[0]);
    expect(sent).toEqual(['a', 'b', 'b']); // a once; b refused once, then delivered once
    expect(refused).toBe(2);
    expect(await app.engine.store.tenant('default').outbox.delivered(`telegram:${chat}`, 5)).toHaveLength(1);
    expect(await app.engine.outbox.drain()).toBe(0);
  });
});

describe('a Slack message with a chart, the upload refused with a 429', () => {
  const clock = { t: START };
  const fake = new FakeSlack();
  let app: TestApp;
  beforeAll(async () => {
    await fake.start();
    let adapter: Adapter | undefined;
    app = await startTestApp(
      { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: `${fake.url}/api/` },
      undefined,
      (config) => [(adapter = slackAdapter(config))],
      () => clock.t,
    );
    expect(adapter?.sender).toBeDefined();
    await app.engine.outbox.stop();
  });
  afterAll(async () => {
    await app?.stop();
    await fake.stop();
  });

  it('posts the message once and uploads the chart once, after the wait', async () => {
    let refused = 0;
    // https://docs.slack.dev/apis/web-api/rate-limits: HTTP 429 with Retry-After in seconds.
    fake.answers('files.getUploadURLExternal', () => (refused++ === 0
      ? { status: 429, headers: { 'retry-after': '30' }, body: { ok: false, error: 'ratelimited' } }
      : { body: { ok: true, upload_url: `${fake.url}/upload/F0001`, file_id: 'F0001' } }));
    await app.engine.outbox.send('default', { platform: 'slack', target: 'channel:C0CHART01', reply: { text: 'Pipeline by stage', image: PNG }, idempotencyKey: 'chart-1' });

    expect(await app.engine.outbox.drain()).toBe(1);
    expect(fake.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'files.getUploadURLExternal']);

    clock.t += 31_000;
    expect(await app.engine.outbox.drain()).toBe(1);
    expect(fake.calls.map((c) => c.method)).toEqual([
      'chat.postMessage', 'files.getUploadURLExternal',
      'files.getUploadURLExternal', '/upload/F0001', 'files.completeUploadExternal',
    ]);
    expect(fake.of('files.completeUploadExternal')[0]!.body.channel_id).toBe('C0CHART01');
    const [done] = await app.engine.store.tenant('default').outbox.delivered('channel:C0CHART01', 1);
    expect(done!.parts).toEqual({ message: '1700000000.000100', upload: null });
  });
});
