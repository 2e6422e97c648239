import type { KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ID, fakeDiscord, fixture, freshInteraction, postSigned, startDiscordApp, testKeys, type DiscordTestApp, type FakeDiscord } from './fixtures/discord/harness.js';

/**
 * Black-box: payloads shaped as Discord's developer docs show them, signed with a test key, posted to
 * POST /discord/interactions on the real server; assertions on the HTTP answer, the store and the calls
 * the fake Discord API recorded.
 */
const ADMIN = 'discord:1600000000000000009';
const GUILD = '1300000000000000001';
const EPHEMERAL = 64;
const fresh = freshInteraction;

describe('Discord payloads from the docs, end to end', () => {
  let fake: FakeDiscord;
  let app: DiscordTestApp;
  let key: KeyObject;

  beforeAll(async () => {
    fake = await fakeDiscord();
    const keys = testKeys();
    key = keys.privateKey;
    app = await startDiscordApp({ DISCORD_PUBLIC_KEY: keys.publicHex, DISCORD_APP_ID: APP_ID, DISCORD_API_URL: fake.apiUrl, CRM_ADMINS: `${ADMIN},discord:1600000000000000003` },
      { tenants: [{ id: 'acme', discordGuilds: [GUILD] }] });
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  describe('signature and clock window', () => {
    it('accepts a signature made 4 minutes ago', async () => {
      expect((await postSigned(app.url, fixture('ping.json'), key, undefined, 240)).json).toEqual({ type: 1 });
    });
    it.each([['more than 5 minutes old', 301], ['more than 5 minutes ahead', -301]])('refuses a valid signature %s with 401 and changes nothing', async (_what, age) => {
      const i = fresh('command-whoami-no-global-name.json');
      expect((await postSigned(app.url, i, key, undefined, age)).status).toBe(401);
      expect(await app.engine.store.tenant('acme').identities.get('discord:1600000000000000021')).toBeNull();
      expect(fake.requests.filter((x) => x.path.includes(i.token))).toHaveLength(0);
    });
    it('refuses PING signed by another key', async () => {
      expect((await postSigned(app.url, fixture('ping.json'), testKeys().privateKey)).status).toBe(401);
    });
  });

  describe('people as Discord names them', () => {
    it('uses the username when a member has no global_name and no nick', async () => {
      const r = await postSigned(app.url, fresh('command-whoami-no-global-name.json'), key);
      expect(r.json).toMatchObject({ type: 4, data: { content: 'You are olga_k (discord:1600000000000000021) in tenant acme.', flags: EPHEMERAL } });
      expect(await app.engine.store.tenant('acme').identities.get('discord:1600000000000000021')).toMatchObject({ displayName: 'olga_k' });
    });
    it('keeps a non-Latin global_name as it is', async () => {
      const r = await postSigned(app.url, fresh('command-whoami-cyrillic.json'), key);
      expect(r.json.data.content).toBe('You are Алина Смирнова (discord:1600000000000000022) in tenant acme.');
      expect(await app.engine.store.tenant('acme').identities.get('discord:1600000000000000022')).toMatchObject({ displayName: 'Алина Смирнова' });
    });
  });

  describe('typed subcommand options', () => {
    it('STRING options: /customer add with name, company and e-mail', async () => {
      const r = await postSigned(app.url, fresh('command-customer-add-typed.json'), key);
      expect(r.json.type).toBe(4);
      expect(r.json.data.flags).toBe(EPHEMERAL);
      const [c] = await app.engine.store.tenant('acme').customers.findByName('Ana Lopez');
      expect(c).toMatchObject({ name: 'Ana Lopez', company: 'Acme Corp', emails: ['ana@acme.test'] });
    });

    it('NUMBER option and a STRING option with spaces: /deal add', async () => {
      const [c] = await app.engine.store.tenant('acme').customers.findByName('Ana Lopez');
      const r = await postSigned(app.url, fresh('command-deal-add-typed.json', (x) => { x.data.options[0].options[1].value = `C-${c!.id}`; }), key);
      expect(r.json.data.content).toMatch(/^Deal D-\d+ added\./);
      expect(r.json.data.flags).toBe(EPHEMERAL);
      const id = Number(/Deal D-(\d+)/.exec(r.json.data.content)![1]);
      expect(await app.engine.store.tenant('acme').deals.get(id)).toMatchObject({ customerId: c!.id, title: 'Big renewal', amountMinor: 120050 });
    });

    it('INTEGER option: /points give', async () => {
      const [c] = await app.engine.store.tenant('acme').customers.findByName('Ana Lopez');
      const r = await postSigned(app.url, fresh('command-points-give-typed.json', (x) => { x.data.options[0].options[0].value = `C-${c!.id}`; }), key);
      expect(r.json.type).toBe(4);
      expect(r.json.data.content).toMatch(/50/);
      expect(r.json.data.content).not.toMatch(/Usage|needs the role/);
    });

    it('STRING option with choices: /deal list all', async () => {
      const r = await postSigned(app.url, fresh('command-deal-list-choice.json'), key);
      expect(r.json.data.embeds[0].fields).toContainEqual({ name: expect.stringMatching(/^Open, lead \(10%\): 1 deal$/), value: expect.stringMatching(/^D-\d+ Ana Lopez: \$1,200\.50, lead/) });
    });

    it('USER option: resolved through data.resolved to discord:<id>', async () => {
      const i = fresh('command-crm-role-user-option.json');
      const r = await postSigned(app.url, i, key);
      expect(r.json).toMatchObject({ type: 4, data: { content: 'discord:1600000000000000012 is now rep.', flags: EPHEMERAL } });
      expect(fake.requests.filter((x) => x.path.includes(i.token))).toHaveLength(0);
      expect((await app.engine.store.tenant('acme').identities.get('discord:1600000000000000012'))?.role).toBe('rep');
    });

    it('a pasted mention <@!id> in a STRING option names the same identity', async () => {
      const i = fresh('command-crm-role-user-option.json', (x) => {
        x.data.options[0].options = [{ name: 'identity', type: 6, value: '1600000000000000013' }, { name: 'admin_manager_rep_customer', type: 3, value: 'manager' }];
        x.data.resolved = { users: { '1600000000000000013': { id: '1600000000000000013', username: 'sam', global_name: null, discriminator: '0', avatar: null, public_flags: 0 } } };
      });
      expect((await postSigned(app.url, i, key)).json.data.content).toBe('discord:1600000000000000013 is now manager.');
      const pasted = fresh('command-crm-role.json', (x) => { x.data.options[0].options = [{ name: 'args', type: 3, value: '<@!1600000000000000013> rep' }]; });
      expect((await postSigned(app.url, pasted, key)).json.data.content).toBe('discord:1600000000000000013 is now rep.');
    });
  });

  describe('autocomplete (type 4 -> type 8)', () => {
    it('suggests customers of the guild\'s tenant only, as C-ids', async () => {
      const other = await app.engine.store.tenant('default').customers.create({ name: 'Acme Elsewhere' }, new Date().toISOString());
      const r = await postSigned(app.url, fresh('autocomplete-deal-add-customer.json'), key);
      expect(r.json.type).toBe(8);
      const [c] = await app.engine.store.tenant('acme').customers.findByName('Ana Lopez');
      expect(r.json.data.choices).toEqual([{ name: `C-${c!.id} Ana Lopez (Acme Corp)`, value: `C-${c!.id}` }]);
      expect(JSON.stringify(r.json.data.choices)).not.toContain(`Acme Elsewhere`);
      expect(other.id).toBeGreaterThan(0);
    });
    it('suggests open deals by id or title', async () => {
      const r = await postSigned(app.url, fresh('autocomplete-deal-add-customer.json', (x) => {
        x.data.options = [{ name: 'won', type: 1, options: [{ name: 'deal', type: 3, value: 'renewal', focused: true }] }];
      }), key);
      expect(r.json.data.choices).toEqual([{ name: expect.stringMatching(/^D-\d+ Big renewal · .* · /), value: expect.stringMatching(/^D-\d+$/) }]);
    });
    it('suggests nothing to a member with the customer role', async () => {
      const r = await postSigned(app.url, fresh('autocomplete-deal-add-customer.json', (x) => {
        x.member.user = { id: '1600000000000000031', username: 'curious', global_name: null, discriminator: '0', avatar: null, public_flags: 0 };
      }), key);
      expect(r.json).toEqual({ type: 8, data: { choices: [] } });
    });
  });

  describe('button clicks', () => {
    it('replaces an ephemeral message with the outcome (type 7, buttons gone), and a second click on it is stale', async () => {
      const click = () => fresh('component-button-ephemeral.json', (x) => { x.data.custom_id = 'crm.role|discord:1600000000000000041 rep'; });
      const first = click();
      const r = await postSigned(app.url, first, key);
      expect(r.json).toEqual({ type: 7, data: { content: 'discord:1600000000000000041 is now rep.', allowed_mentions: { parse: [] }, components: [], embeds: [] } });
      // The answer rode in the HTTP response: no follow-up, no edit, no second message.
      expect(fake.requests.filter((x) => x.path.includes(first.token))).toHaveLength(0);
      const again = await postSigned(app.url, click(), key);
      expect(again.json).toMatchObject({ type: 4, data: { content: 'That was already done.', flags: EPHEMERAL } });
    });

    it('replaces a DM message with the outcome, without flags', async () => {
      const r = await postSigned(app.url, fresh('component-button-dm.json', (x) => { x.data.custom_id = 'crm.role|discord:1600000000000000042 manager'; }), key);
      expect(r.json.type).toBe(7);
      expect(r.json.data.flags).toBeUndefined();
      expect(r.json.data.content).toBe('discord:1600000000000000042 is now manager.');
    });

    it('answers an unknown or expired custom_id with an ephemeral notice and runs nothing', async () => {
      for (const id of ['k:gone-from-the-store', 'nobar']) {
        const r = await postSigned(app.url, fresh('component-button-ephemeral.json', (x) => { x.data.custom_id = id; }), key);
        expect(r.json).toEqual({ type: 4, data: { content: 'That button no longer works. Run the command again.', allowed_mentions: { parse: [] }, flags: EPHEMERAL } });
      }
    });
  });
});
