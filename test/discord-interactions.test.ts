import type { KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { command, sub, type ParsedArgs } from '../core/index.js';
import { APP_ID, fakeDiscord, fixture, freshInteraction, postSigned, restAnswer, startDiscordApp, testKeys, type DiscordTestApp, type FakeDiscord } from './fixtures/discord/harness.js';

const ADMIN = 'discord:1600000000000000009';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const EPHEMERAL = 64;
const fresh = freshInteraction;

describe('Discord HTTP interactions', () => {
  let fake: FakeDiscord;
  let app: DiscordTestApp;
  let key: KeyObject;

  beforeAll(async () => {
    fake = await fakeDiscord();
    const keys = testKeys();
    key = keys.privateKey;
    app = await startDiscordApp({ DISCORD_PUBLIC_KEY: keys.publicHex, DISCORD_APP_ID: APP_ID, DISCORD_API_URL: fake.apiUrl, CRM_ADMINS: ADMIN },
      { tenants: [{ id: 'acme', discordGuilds: ['1300000000000000001'] }] });
    // Test-only commands: one slower than the 2 s ack budget, one whose button value is too long for a custom_id.
    app.engine.commands.register(command({
      name: 'slow', summary: 'Takes its time',
      subcommands: [sub({ name: 'run', usage: '', summary: 'Wait 2.3 s', roles: ['admin', 'manager', 'rep', 'customer'], args: z.custom<ParsedArgs>(),
        run: async () => { await new Promise((r) => setTimeout(r, 2300)); return { text: 'Finally done.', fields: [{ label: 'Took', value: '2.3 s' }] }; } }),
        sub({ name: 'announce', usage: '', summary: 'Wait 2.3 s, then say it to the channel', roles: ['admin', 'manager', 'rep', 'customer'], args: z.custom<ParsedArgs>(),
          run: async () => { await new Promise((r) => setTimeout(r, 2300)); return { text: 'Late news for everyone.', visibility: 'public' }; } })],
    }));
    app.engine.commands.register(command({
      name: 'echo', summary: 'Echoes',
      subcommands: [sub({ name: 'say', usage: '<text>', summary: 'Say it back', roles: ['admin', 'manager', 'rep', 'customer'], args: z.custom<ParsedArgs>(),
        run: async (_ctx, a) => ({ text: `echo: ${a.rest.slice(0, 40)} (${a.rest.length})`, buttons: [{ id: 'echo.say', label: 'Again', value: a.rest }] }) })],
    }));
    app.engine.commands.register(command({
      name: 'announce', summary: 'Says something to the channel',
      subcommands: [sub({ name: 'post', usage: '', summary: 'Public', roles: ['admin', 'manager', 'rep', 'customer'], args: z.custom<ParsedArgs>(),
        run: async () => [{ text: 'Hello, channel.', visibility: 'public' as const }, { text: 'Posted (only you see this).' }] })],
    }));
    app.engine.commands.register(command({
      name: 'chart', summary: 'Draws',
      subcommands: [sub({ name: 'show', usage: '', summary: 'A PNG', roles: ['admin', 'manager', 'rep', 'customer'], args: z.custom<ParsedArgs>(),
        run: async () => ({ text: 'Weekly KPIs', image: `data:image/png;base64,${PNG.toString('base64')}` }) })],
    }));
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('answers PING with PONG', async () => {
    const r = await postSigned(app.url, fixture('ping.json'), key);
    expect(r).toMatchObject({ status: 200, json: { type: 1 } });
  });

  it('refuses a bad or missing signature with 401 and stores nothing', async () => {
    const i = fresh('command-crm-whoami.json');
    const tampered = await postSigned(app.url, i, key, (raw) => raw.replace('1600000000000000001', '1600000000000000077'));
    expect(tampered.status).toBe(401);
    const other = await postSigned(app.url, i, testKeys().privateKey);
    expect(other.status).toBe(401);
    const unsigned = await fetch(`${app.url}/discord/interactions`, { method: 'POST', body: JSON.stringify(i) });
    expect(unsigned.status).toBe(401);
    expect(await app.engine.store.tenant('acme').identities.get('discord:1600000000000000077')).toBeNull();
    expect(await app.engine.store.tenant('acme').identities.get('discord:1600000000000000001')).toBeNull();
    // The same interaction id still counts as new: nothing was marked seen.
    expect((await postSigned(app.url, i, key)).json.type).toBe(4);
  });

  it('rejects a signed body that is not an interaction with 400', async () => {
    expect((await postSigned(app.url, '{nope', key)).status).toBe(400);
    expect((await postSigned(app.url, { type: 2, id: 'x' }, key)).status).toBe(400);
  });

  it('answers /crm whoami in a guild with type 4 and the rendered reply in the guild\'s tenant, well inside 3 s', async () => {
    const r = await postSigned(app.url, fresh('command-crm-whoami.json'), key);
    expect(r.status).toBe(200);
    expect(r.ms).toBeLessThan(2500);
    expect(r.json.type).toBe(4);
    // A card about a person, in a server: only the asker sees it.
    expect(r.json.data.flags).toBe(EPHEMERAL);
    expect(r.json.data.content).toBe('You are Ana Rep (discord:1600000000000000001) in tenant acme.');
    expect(r.json.data.allowed_mentions).toEqual({ parse: [] });
    expect(r.json.data.embeds[0].fields).toEqual([{ name: 'Role', value: 'customer' }, { name: 'Customer', value: expect.stringMatching(/^C-\d+$/) }]);
    const link = await app.engine.store.tenant('acme').identities.get('discord:1600000000000000001');
    expect(link).toMatchObject({ platform: 'discord', locale: 'en-GB', displayName: 'Ana Rep' });
  });

  it('turns a subcommand with its string option back into the command line', async () => {
    const r = await postSigned(app.url, fresh('command-crm-role.json'), key);
    expect(r.json).toMatchObject({ type: 4, data: { content: 'discord:1600000000000000002 is now manager.', flags: EPHEMERAL } });
    expect((await app.engine.store.tenant('acme').identities.get('discord:1600000000000000002'))?.role).toBe('manager');
  });

  it('answers in a DM (user instead of member, no guild) and sends the second reply as a follow-up', async () => {
    const i = fresh('command-dm-crm-help.json');
    // The first follow-up meets a short rate limit: the REST client waits it out and posts it once more.
    let limited = 0;
    const short = restAnswer('rest-429-route.json');
    fake.on((x) => (x.path === `/api/v10/webhooks/${APP_ID}/${i.token}` && limited++ === 0
      ? { ...short, headers: { ...short.headers, 'retry-after': '0.2', 'x-ratelimit-reset-after': '0.2' } } : undefined));
    const r = await postSigned(app.url, i, key);
    expect(r.json.type).toBe(4);
    // In a DM nobody else reads along: no ephemeral flag.
    expect(r.json.data.flags).toBeUndefined();
    expect(r.json.data.embeds[0].fields.map((f: { name: string }) => f.name)).toContain('/crm');
    await fake.waitFor(() => limited === 2);
    const follows = fake.requests.filter((x) => x.method === 'POST' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}`);
    expect(follows).toHaveLength(2);
    expect(follows[1]!.json.content).toMatch(/^\/crm: /);
    expect(follows[1]!.json.flags).toBeUndefined();
    expect(follows[1]!.headers.authorization).toBeUndefined();
    // No guild: the default tenant.
    expect(await app.engine.store.tenant('default').identities.get('discord:1600000000000000003')).toMatchObject({ locale: 'de', displayName: 'dm.user' });
  });

  it('defers slow work with an ephemeral type 5, then edits @original with the reply', async () => {
    const i = fresh('command-crm-whoami.json', (x) => { x.data.name = 'slow'; x.data.options = [{ name: 'run', type: 1, options: [] }]; });
    const r = await postSigned(app.url, i, key);
    expect(r.json).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    expect(r.ms).toBeLessThan(2500);
    const patch = await fake.waitFor((x) => x.method === 'PATCH' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(patch.json).toMatchObject({ content: 'Finally done.', embeds: [{ fields: [{ name: 'Took', value: '2.3 s' }] }] });
  });

  it('defers a slow public answer ephemerally, posts it for the channel, and removes the placeholder', async () => {
    const i = fresh('command-crm-whoami.json', (x) => { x.data.name = 'slow'; x.data.options = [{ name: 'announce', type: 1, options: [] }]; });
    expect((await postSigned(app.url, i, key)).json).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const del = await fake.waitFor((x) => x.method === 'DELETE' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`);
    const posts = fake.requests.filter((x) => x.method === 'POST' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}`);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.json).toEqual({ content: 'Late news for everyone.', allowed_mentions: { parse: [] } });
    expect(fake.requests.indexOf(posts[0]!)).toBeLessThan(fake.requests.indexOf(del));
  });

  it('answers a slow click on an ephemeral message with a deferred update (type 6), then edits that message', async () => {
    const i = fresh('component-button.json', (x) => { x.data.custom_id = 'slow.run|'; x.message.flags = 64; x.message.id = '1700000000000000031'; });
    expect((await postSigned(app.url, i, key)).json).toEqual({ type: 6 });
    const patch = await fake.waitFor((x) => x.method === 'PATCH' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(patch.json).toMatchObject({ content: 'Finally done.', components: [], embeds: [{ fields: [{ name: 'Took', value: '2.3 s' }] }] });
    expect(patch.json.flags).toBeUndefined();
  });

  it('answers a slow click on a shared message privately (deferred, ephemeral), leaving the message alone', async () => {
    const i = fresh('component-button.json', (x) => { x.data.custom_id = 'slow.run|'; });
    expect((await postSigned(app.url, i, key)).json).toEqual({ type: 5, data: { flags: EPHEMERAL } });
    const patch = await fake.waitFor((x) => x.method === 'PATCH' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}/messages/@original`);
    expect(patch.json).toMatchObject({ content: 'Finally done.' });
    expect(patch.json.components).toBeUndefined();
  });

  it('answers a reply carrying a file with a multipart type 4 response, ephemeral in a server', async () => {
    const i = fresh('command-crm-whoami.json', (x) => { x.data.name = 'chart'; x.data.options = [{ name: 'show', type: 1, options: [] }]; });
    const r = await postSigned(app.url, i, key);
    expect(r.raw.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
    const form = await r.raw.formData();
    expect(JSON.parse(String(form.get('payload_json')))).toMatchObject({ type: 4, data: { content: 'Weekly KPIs', flags: EPHEMERAL, embeds: [{ image: { url: 'attachment://chart.png' } }] } });
    expect(Buffer.from(await (form.get('files[0]') as File).arrayBuffer())).toEqual(PNG);
    expect(fake.requests.filter((x) => x.path.includes(i.token))).toHaveLength(0);
  });

  it('posts what the core marks public for the channel, and keeps the rest private', async () => {
    const i = fresh('command-crm-whoami.json', (x) => { x.data.name = 'announce'; x.data.options = [{ name: 'post', type: 1, options: [] }]; });
    const r = await postSigned(app.url, i, key);
    expect(r.json).toEqual({ type: 4, data: { content: 'Hello, channel.', allowed_mentions: { parse: [] } } });
    const follow = await fake.waitFor((x) => x.method === 'POST' && x.path === `/api/v10/webhooks/${APP_ID}/${i.token}`);
    expect(follow.json).toMatchObject({ content: 'Posted (only you see this).', flags: EPHEMERAL });
  });

  it('decodes a click on a message the channel shares, runs it as the clicker and answers only them', async () => {
    const r = await postSigned(app.url, fresh('component-button.json'), key);
    // The shared message stays as it is for everyone else.
    expect(r.json).toMatchObject({ type: 4, data: { content: 'discord:1600000000000000004 is now rep.', flags: EPHEMERAL } });
  });

  it('stores a button value too long for a custom_id and finds it again on the click', async () => {
    const long = 'x'.repeat(150);
    const i = fresh('command-crm-role.json', (x) => { x.data.name = 'echo'; x.data.options = [{ name: 'say', type: 1, options: [{ name: 'args', type: 3, value: long }] }]; });
    const r = await postSigned(app.url, i, key);
    const customId: string = r.json.data.components[0].components[0].custom_id;
    expect(customId).toMatch(/^k:[A-Za-z0-9_-]{22}$/);
    const click = await postSigned(app.url, fresh('component-button.json', (x) => { x.data.custom_id = customId; }), key);
    expect(click.json.data.content).toBe(`echo: ${long.slice(0, 40)} (150)`);
  });

  it('runs /deal add and /deal list from signed commands, and a rendered button click moves the deal', async () => {
    const deal = (sub: string, args?: string) => fresh('command-crm-role.json', (x) => {
      x.data.name = 'deal';
      x.data.options = [{ name: sub, type: 1, options: args ? [{ name: 'args', type: 3, value: args }] : [] }];
    });
    const added = await postSigned(app.url, deal('add', 'Acme 1200'), key);
    expect(added.ms).toBeLessThan(2500);
    expect(added.json.type).toBe(4);
    expect(added.json.data.content).toMatch(/Deal D-\d+ added\./);
    const dealId = /Deal (D-\d+)/.exec(added.json.data.content)![1]!;
    const buttons = added.json.data.components.flatMap((r: { components: unknown[] }) => r.components);
    expect(buttons).toContainEqual({ type: 2, style: 1, label: 'Mark won', custom_id: `deal.won|${dealId}` });

    const listed = await postSigned(app.url, deal('list'), key);
    expect(listed.json.type).toBe(4);
    expect(listed.json.data.embeds[0].fields).toContainEqual({ name: 'Open, lead (10%): 1 deal', value: expect.stringContaining(`${dealId} Acme`) });

    const won = await postSigned(app.url, fresh('component-button.json', (x) => { x.data.custom_id = `deal.won|${dealId}`; }), key);
    expect(won.json).toMatchObject({ type: 4, data: { flags: EPHEMERAL } });
    const stored = await app.engine.store.tenant('acme').deals.get(Number(dealId.slice(2)));
    expect(stored?.stage).toBe('won');
  });

  it('answers an unknown stored key with a message instead of running anything', async () => {
    const r = await postSigned(app.url, fresh('component-button.json', (x) => { x.data.custom_id = 'k:doesnotexist'; }), key);
    expect(r.json).toMatchObject({ type: 4, data: { content: 'That button no longer works. Run the command again.', flags: EPHEMERAL } });
  });
});
