import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSqliteFile } from '../../core/store/sqlite/scan.js';
import { installationStore } from '../../adapters/slack/installations.js';
import { fakeBotApi, fresh, postUpdate, SECRET, startTelegramApp, type FakeBotApi, type TelegramTestApp } from '../fixtures/telegram/harness.js';
import { startTestApp } from '../helpers/app.js';

const MAPPED = -1001900000001;
const STRANGER = -1001900000999;
const sentTo = (fake: FakeBotApi, chat: number) => fake.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === chat);

describe('a Telegram group no tenant lists', () => {
  let fake: FakeBotApi;
  let app: TelegramTestApp;
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-scopes-'));

  beforeAll(async () => {
    fake = await fakeBotApi();
    app = await startTelegramApp(
      { CRM_DATA_DIR: dataDir, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_WEBHOOK_URL: 'https://crm.example.com/telegram/webhook', TELEGRAM_API_ROOT: fake.apiRoot },
      { tenants: [{ id: 'acme', telegramChats: [String(MAPPED)] }] },
    );
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.close();
  });

  it('gets one reply naming the chat id and the config key, and nothing is stored', async () => {
    // Plain chatter is told once, not message by message.
    for (const [i, text] of ['first words', 'second words'].entries()) {
      const chat = fresh('group-message.json', (u) => { u.update_id += 100 + i; u.message.message_id += 100 + i; u.message.chat.id = STRANGER; u.message.from.id = 5100000445; u.message.text = text; });
      expect((await postUpdate(app, chat)).status).toBe(200);
    }
    const told = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === STRANGER);
    expect(told.params.text).toContain(`(${STRANGER}) belongs to no tenant`);
    expect(told.params.text).toContain(`adds "${STRANGER}" to "telegramChats"`);

    // A command always gets the answer.
    const command = fresh('group-command-addressed.json', (u) => { u.message.chat.id = STRANGER; u.message.from.id = 5100000444; });
    expect((await postUpdate(app, command)).status).toBe(200);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === STRANGER && c !== told);
    // The mapped group works, so the two messages above have been handled by the time its reply arrives.
    const mapped = fresh('group-command-addressed.json', (u) => { u.update_id += 500; });
    await postUpdate(app, mapped);
    await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === MAPPED);
    expect(sentTo(fake, STRANGER)).toHaveLength(2);

    const hits = scanSqliteFile(join(dataDir, 'crm.sqlite'), ['5100000444', '5100000445', String(STRANGER), 'first words', String(command.update_id)]);
    expect(hits).toEqual([]);
    expect(await app.engine.store.tenant('acme').identities.get('telegram:5100000002')).toMatchObject({ platform: 'telegram' });
  });

  it('keeps private chats (DMs) in the default tenant', async () => {
    await postUpdate(app, fresh('private-command-whoami.json'));
    const call = await fake.waitFor((c) => c.method === 'sendMessage' && c.params.chat_id === 5100000001);
    expect(call.params.text).toContain('in tenant default');
  });
});

describe('Slack installs and the "default" policy', () => {
  it('refuses to store the installation of a workspace no tenant lists', async () => {
    const app = await startTestApp({}, { tenants: [{ id: 'acme', slackTeams: ['T0ACME'] }] });
    try {
      const store = installationStore(app.engine);
      const installation = { team: { id: 'T0STRANGER', name: 'Stranger' }, enterprise: undefined, user: { id: 'U1', token: undefined, scopes: undefined }, bot: { token: 'xoxb-x', scopes: [], id: 'B1', userId: 'U2' }, isEnterpriseInstall: false };
      await expect(store.storeInstallation(installation as never)).rejects.toThrow(/T0STRANGER.*"slackTeams"/);
      expect(scanSqliteFile(join(app.dataDir, 'crm.sqlite'), ['T0STRANGER', 'xoxb-x'])).toEqual([]);
      await store.storeInstallation({ ...installation, team: { id: 'T0ACME', name: 'Acme' } } as never);
      expect(await app.engine.store.tenant('acme').docs('slack', 'installations').get('T0ACME')).not.toBeNull();
    } finally {
      await app.stop();
    }
  });

  it('serves unlisted scopes from the default tenant when the config says "unmappedScopes": "default"', async () => {
    const app = await startTestApp({}, { unmappedScopes: 'default', tenants: [{ id: 'acme', slackTeams: ['T0ACME'] }] });
    try {
      expect(app.engine.unmappedScope('slack', 'T0OTHER')).toBeNull();
      expect(app.engine.tenantFor('slack', 'T0OTHER')).toBe('default');
      expect(app.engine.unmappedScope('discord', '1234567')).toBeNull();
    } finally {
      await app.stop();
    }
  });
});
