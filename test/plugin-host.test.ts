import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseManifest, validatePluginConfig } from '../core/plugins/manifest.js';
import { say, startTestApp, web, type TestApp } from './helpers/app.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/plugins/${name}`, import.meta.url));

describe('plugin manifests', () => {
  it('explains what is wrong with a manifest', () => {
    expect(() => parseManifest({ id: 'Bad Id', version: 'x', commands: [], events: [], permissions: ['root'], configSchema: {} }, 'p')).toThrow(
      /plugin manifest p: .*must have required property 'description'.*\/id must match pattern.*\/version must match pattern.*\/permissions\/0 must be equal to one of the allowed values/,
    );
  });

  it('validates plugin config against the manifest schema and fills defaults', () => {
    const m = parseManifest({ id: 'echo', version: '1.0.0', description: 'd', commands: [], events: [], permissions: [], configSchema: { type: 'object', properties: { times: { type: 'integer', default: 2, maximum: 3 } } } }, 'p');
    expect(validatePluginConfig(m, {})).toEqual({ times: 2 });
    expect(() => validatePluginConfig(m, { times: 9 })).toThrow(/config of plugin echo: \/times must be <= 3/);
  });
});

describe('plugin host', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:root' }, {
      roles: { assign: { 'web:cara': 'customer' } },
      plugins: { echo: { path: fixture('echo'), config: { times: 2 } } },
    });
  });
  afterAll(() => app.stop());

  it('loads a plugin from a path with its validated config and lists it in /healthz', async () => {
    expect((await say(app, 'alice', '/echo say hi there'))[0].text).toBe('> hi there > hi there');
    expect((await (await fetch(`${app.url}/healthz`)).json()).plugins).toEqual(['echo']);
  });

  it('delivers bus events to the plugin and includes its data in export, then erases it', async () => {
    await say(app, 'cara', 'my order is late');
    const [exported] = await say(app, 'root', '/crm export C-1');
    expect(exported.text).toMatch(/"echo": \[\s*\{\s*"id": "1",\s*"customerId": 1,\s*"text": "my order is late"/);
    expect((await say(app, 'root', '/crm forget C-1'))[0].text).toMatch(/C-1 was erased/);
    const [after] = await say(app, 'root', '/crm export C-1');
    expect(after.text).toMatch(/"echo": \[\]/);
    expect(after.text).not.toMatch(/my order is late/);
  });

  it('refuses to start with a plugin that uses an undeclared command, or with a bad config', async () => {
    await expect(startTestApp({}, { plugins: { sneaky: { path: fixture('sneaky') } } })).rejects.toThrow(/plugin sneaky registers \/sneaky but its manifest does not declare it/);
    await expect(startTestApp({}, { plugins: { echo: { path: fixture('echo'), config: { times: 0 } } } })).rejects.toThrow(/config of plugin echo: \/times must be >= 1/);
  });
});

describe('/crm identities and privacy', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:root' }, { roles: { assign: { 'web:kim': 'customer', 'web:kim2': 'customer' } } });
  });
  afterAll(() => app.stop());

  it('links two identities of one person by a one-time code the issuing account confirms, merging their records', async () => {
    await say(app, 'kim', 'hello from my first account');
    await say(app, 'kim2', 'hello from my second account');
    const [code] = await say(app, 'kim', '/crm link');
    const typed = /link code is ([0-9A-Z-]{24})/.exec(code.text)![1]!;
    expect((await say(app, 'kim2', '/crm link 0000-0000-0000-0000-0000'))[0].text).toMatch(/unknown or expired/);
    expect((await say(app, 'kim2', `/crm link ${typed}`))[0].text).toMatch(/Code accepted\. Confirm on web:kim/);
    expect((await say(app, 'kim2', `/crm link ${typed}`))[0].text).toMatch(/unknown or expired/);
    while ((await app.engine.outbox.drain(500)) > 0);
    const inbox = (await (await fetch(`${app.url}/web/api/inbox?user=kim`)).json()).messages;
    const confirm = inbox.at(-1).buttons[0];
    expect((await web(app, '/web/api/action', { user: 'kim', action: confirm.id, value: confirm.value })).json.replies[0].text)
      .toMatch(/now one customer, C-1 \(merge #1, reversible\)/);
    const ids = await app.engine.store.tenant('default').identities.listForCustomer(1);
    expect(ids.map((i) => i.identity)).toEqual(['web:kim', 'web:kim2']);
  });

  it('lets a customer export only their own record', async () => {
    expect((await say(app, 'kim', '/crm export C-1'))[0].text).toMatch(/^Export of C-1:/);
    await say(app, 'alice', '/customer add Someone');
    expect((await say(app, 'kim', '/crm export Someone'))[0].text).toMatch(/only your own record: \/crm export C-1/);
  });

  it('lets only admins forget a person', async () => {
    expect((await say(app, 'alice', '/crm forget C-1'))[0].text).toMatch(/needs the role admin; you are rep/);
  });
});
