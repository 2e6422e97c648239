import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { parseLinkCode, WRONG_PER_CODE, WRONG_PER_IDENTITY_PER_HOUR } from '../../core/commands/link.js';
import { scanSqliteFile } from '../../core/store/sqlite/scan.js';
import { say, startTestApp, web, type TestApp } from '../helpers/app.js';

const codeOf = (text: string) => /link code is ([0-9A-Z-]{24})/.exec(text)![1]!;
const drain = async (app: TestApp) => {
  while ((await app.engine.outbox.drain(500)) > 0);
};
const inbox = async (app: TestApp, user: string) => (await (await fetch(`${app.url}/web/api/inbox?user=${user}`)).json()).messages as any[];

describe('/crm link codes', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({}, { roles: { assign: { 'web:vic': 'customer', 'web:vic2': 'customer', 'web:mallory': 'customer' } } });
  });
  afterAll(() => app.stop());

  it('are 80-bit secrets behind a handle, stored hashed, different every time', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add(codeOf((await say(app, 'vic', '/crm link'))[0].text));
    expect(seen.size).toBe(20);
    const code = [...seen].at(-1)!;
    expect(parseLinkCode(code)!.secret).toMatch(/^[0-9A-Z]{16}$/);
    const secret = parseLinkCode(code)!.secret;
    expect(scanSqliteFile(join(app.dataDir, 'crm.sqlite'), [secret, code])).toEqual([]);
    // A new code replaces the old ones of the same account.
    expect(await app.engine.store.tenant('default').docs('core', 'link_codes').find({ identity: 'web:vic' })).toHaveLength(1);
  });

  it('a brute-force run is stopped by the per-identity budget, and a guessed-at code dies', async () => {
    const real = codeOf((await say(app, 'vic', '/crm link'))[0].text);
    const handle = real.slice(0, 4);
    // Mallory knows the handle (the weakest case) and guesses secrets.
    const answers: string[] = [];
    for (let i = 0; i < 12; i++) {
      const guess = `${handle}-${String(i).padStart(4, '0')}-0000-0000-0000`;
      answers.push((await say(app, 'mallory', `/crm link ${guess}`))[0].text);
    }
    expect(answers.slice(0, WRONG_PER_IDENTITY_PER_HOUR).every((t) => /unknown or expired/.test(t))).toBe(true);
    expect(answers.slice(WRONG_PER_IDENTITY_PER_HOUR).every((t) => /Too many wrong link codes/.test(t))).toBe(true);
    // After WRONG_PER_CODE misses the code itself is gone: even the right secret no longer works.
    expect(WRONG_PER_CODE).toBeLessThan(WRONG_PER_IDENTITY_PER_HOUR);
    expect((await say(app, 'vic2', `/crm link ${real}`))[0].text).toMatch(/unknown or expired/);
    const vic = await app.engine.store.tenant('default').identities.get('web:vic');
    const mallory = await app.engine.store.tenant('default').identities.get('web:mallory');
    expect(mallory!.customerId).not.toBe(vic!.customerId);
  });

  it('moves nothing until the issuing account confirms, and only it can', async () => {
    const code = codeOf((await say(app, 'vic', '/crm link'))[0].text);
    expect((await say(app, 'vic2', `/crm link ${code.toLowerCase()}`))[0].text).toMatch(/Code accepted/);
    const before = await app.engine.store.tenant('default').identities.get('web:vic2');
    await drain(app);
    const ask = (await inbox(app, 'vic')).at(-1);
    expect(ask.text).toMatch(/web:vic2 typed your link code/);
    const [confirm, refuse] = ask.buttons;
    expect(refuse.label).toBe('Refuse');
    // The claimant (or anyone else) pressing the button is refused.
    expect((await web(app, '/web/api/action', { user: 'vic2', action: confirm.id, value: confirm.value })).json.replies[0].text).toMatch(/unknown or not yours/);
    expect((await say(app, 'mallory', `/crm link ${confirm.value}`))[0].text).toMatch(/unknown or not yours/);
    expect((await app.engine.store.tenant('default').identities.get('web:vic2'))!.customerId).toBe(before!.customerId);
    const done = (await web(app, '/web/api/action', { user: 'vic', action: confirm.id, value: confirm.value })).json.replies[0].text;
    expect(done).toMatch(/web:vic2 and web:vic are now one customer/);
    const vic = await app.engine.store.tenant('default').identities.get('web:vic');
    expect((await app.engine.store.tenant('default').identities.get('web:vic2'))!.customerId).toBe(vic!.customerId);
    // Single use: the same confirmation does nothing twice.
    expect((await web(app, '/web/api/action', { user: 'vic', action: confirm.id, value: confirm.value })).json.replies[0].text).toMatch(/unknown or not yours/);
  });

  it('lets staff put an identity on an existing customer record, not customers', async () => {
    await say(app, 'rep1', '/customer add "Gina Rossi"');
    const gina = (await app.engine.store.tenant('default').customers.findByName('Gina Rossi'))[0]!;
    expect((await say(app, 'mallory', `/crm link web:gina C-${gina.id}`))[0].text).toMatch(/Only staff/);
    expect((await say(app, 'rep1', `/crm link web:gina C-${gina.id}`))[0].text).toBe(`Linked web:gina to C-${gina.id} Gina Rossi.`);
    expect((await say(app, 'gina', '/crm whoami'))[0].fields).toContainEqual({ label: 'Customer', value: `C-${gina.id}` });
  });
});
