import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, fakeDiscord, freshInteraction, postSigned, startDiscordApp, testKeys, type DiscordTestApp, type FakeDiscord } from './fixtures/discord/harness.js';

/**
 * Over the rate limit a chat is told once per window, so a flood gets no flood of replies. A Discord interaction
 * is owed an answer whatever happens, so each refused one says why instead of a blank "Done.".
 */
describe('Discord commands over the rate limit', () => {
  let fake: FakeDiscord;
  let app: DiscordTestApp;
  const keys = testKeys();

  beforeAll(async () => {
    fake = await fakeDiscord();
    app = await startDiscordApp(
      { DISCORD_PUBLIC_KEY: keys.publicHex, DISCORD_APP_ID: APP_ID, DISCORD_BOT_TOKEN: 'test-bot-token.not-a-real-one', DISCORD_API_URL: fake.apiUrl },
      { rateLimit: { commandsPerMinute: 1 } },
    );
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('answers every refused interaction with the refusal, the first and the ones after it in the same window', async () => {
    const texts: string[] = [];
    for (let n = 0; n < 3; n++) texts.push((await postSigned(app.url, freshInteraction('command-crm-whoami.json'), keys.privateKey)).json.data.content);
    expect(texts[0]).toMatch(/^You are /);
    expect(texts.slice(1)).toEqual([expect.stringMatching(/^Slow down: at most 1 command/), expect.stringMatching(/^Slow down: at most 1 command/)]);
  });
});
