import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeMessage, normalizeMessageDelete, normalizeMessageEdit } from '../adapters/discord/normalize.js';
import { fakeDiscord, fixture, startDiscordApp, type DiscordTestApp, type FakeDiscord } from './fixtures/discord/harness.js';

// Gateway payloads copied in shape from Discord's docs (each fixture names its page in `_source`).
const NOW = '2026-06-30T12:00:00.000Z';
const MIA = { identity: 'discord:1600000000000000005', displayName: 'Mia Member' };

describe('Discord message edits and deletions, normalized', () => {
  it('a MESSAGE_UPDATE with new content is an edit of the message MESSAGE_CREATE named', () => {
    const created = normalizeMessage(fixture('message-create.json').d)!;
    const ev = normalizeMessageEdit(fixture('message-update.json').d);
    expect(ev).toEqual({
      platform: 'discord', scope: '1300000000000000001', channel: '1400000000000000001', actor: MIA,
      eventId: '1800000000000000001:edited:2024-05-01T12:40:02.123Z',
      text: 'Loving the new release of Acme CRM, great support team! (the export still times out)',
      messageId: created.messageId, edit: 'changed',
      permalink: created.permalink, occurredAt: '2024-05-01T12:40:02.123Z',
    });
  });

  it.each([
    ['an embeds-only partial update', () => fixture('message-update-embeds.json').d],
    ['an update that was no text edit (edited_timestamp null)', () => ({ ...fixture('message-update.json').d, edited_timestamp: null })],
    ['an edit by a bot', () => { const d = fixture('message-update.json').d; return { ...d, author: { ...d.author, bot: true } }; }],
    ['an edit of a webhook message', () => ({ ...fixture('message-update.json').d, webhook_id: '1900000000000000001' })],
    ['an update without its author', () => ({ ...fixture('message-update.json').d, author: undefined })],
  ])('ignores %s', (_n, payload) => {
    expect(normalizeMessageEdit(payload())).toBeNull();
  });

  it('a MESSAGE_DELETE is a deletion of the message, by its author when discord.js had it cached, else by the channel', () => {
    const d = fixture('message-delete.json').d;
    const base = { platform: 'discord', scope: '1300000000000000001', channel: '1400000000000000001', eventId: '1800000000000000001:deleted', text: '', messageId: '1800000000000000001', edit: 'deleted', occurredAt: NOW };
    expect(normalizeMessageDelete(d, { id: '1600000000000000005', name: 'Mia Member' }, NOW)).toEqual({ ...base, actor: MIA });
    expect(normalizeMessageDelete(d, null, NOW)).toEqual({ ...base, actor: { identity: 'discord:channel:1400000000000000001', displayName: '#1400000000000000001' } });
    expect(normalizeMessageDelete({ ...d, guild_id: undefined }, null, NOW)?.scope).toBeNull();
    expect(normalizeMessageDelete({ channel_id: d.channel_id }, null, NOW)).toBeNull();
  });
});

describe('Discord message edits and deletions through the engine', () => {
  let fake: FakeDiscord;
  let app: DiscordTestApp;

  beforeAll(async () => {
    fake = await fakeDiscord();
    // Discord members are customers here, so what they say lands on a customer record the test can read back.
    app = await startDiscordApp({ DISCORD_BOT_TOKEN: 'test-bot-token.not-a-real-one', DISCORD_API_URL: fake.apiUrl }, { roles: { defaults: { discord: 'customer' } } });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('the stored message follows its edits (the earlier text kept, a redelivered edit applied once) and its deletion', async () => {
    const ts = app.engine.store.tenant('default');
    const stored = async () => {
      const who = await ts.identities.get(MIA.identity);
      return (await ts.interactions.listForCustomer(who!.customerId!, 10)).find((i) => i.messageId === 'discord:1800000000000000001');
    };
    expect(await app.engine.handle(normalizeMessage(fixture('message-create.json').d)!)).toEqual([]);
    const edit = normalizeMessageEdit(fixture('message-update.json').d)!;
    expect(await app.engine.handle(edit)).toEqual([]);
    expect(await app.engine.handle({ ...edit })).toEqual([]);
    expect(normalizeMessageEdit(fixture('message-update-embeds.json').d)).toBeNull();
    expect(await stored()).toMatchObject({
      text: 'Loving the new release of Acme CRM, great support team! (the export still times out)',
      edits: [{ text: 'Loving the new release of Acme CRM, great support team!', at: '2024-05-01T12:40:02.123Z' }],
    });
    expect((await stored())!.edits).toHaveLength(1);

    expect(await app.engine.handle(normalizeMessageDelete(fixture('message-delete.json').d, null, NOW)!)).toEqual([]);
    expect(await stored()).toMatchObject({ text: '', deleted: true });
    expect(fake.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });
});
