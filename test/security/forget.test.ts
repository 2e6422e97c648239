import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanSqliteFile } from '../../core/store/sqlite/scan.js';
import { middayClock, say, startTestApp, web, type TestApp } from '../helpers/app.js';

/**
 * A person who touched every feature (deals, logs, a complaint, a survey answer, points, a mention,
 * a digest subscription, outbox messages, a second account merged in, an unused link code) is forgotten,
 * then every text cell of every table of the SQLite file is searched for them.
 */
describe('/crm forget is complete', () => {
  let app: TestApp;
  const drain = async () => {
    while ((await app.engine.outbox.drain(500)) > 0);
  };
  const inbox = async (user: string) => (await (await fetch(`${app.url}/web/api/inbox?user=${user}`)).json()).messages as any[];
  const press = async (user: string, b: { id: string; value: string }) => (await web(app, '/web/api/action', { user, action: b.id, value: b.value })).json.replies;

  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, {
      roles: { assign: { 'web:mona': 'manager', 'web:gina2': 'customer', 'web:otto': 'customer' } },
      plugins: {
        'social-listening': { enabled: true, config: { alertTarget: { platform: 'web', target: 'web:mona' } } },
        loyalty: { enabled: true, config: {} }, surveys: { enabled: true, config: {} }, 'kpi-digest': { enabled: true, config: {} },
      },
    }, undefined, middayClock());
  });
  afterAll(() => app.stop());

  it('leaves no trace of their name, identities or contacts in any table', async () => {
    const ok = async (user: string, text: string, expected: RegExp) => expect((await say(app, user, text))[0].text).toMatch(expected);
    await ok('rex', '/customer add "Gina Rossi" email:gina.rossi@example.com phone:+4917012345678', /Gina Rossi/);
    const gina = (await app.engine.store.tenant('default').customers.findByName('Gina Rossi'))[0]!;
    await ok('rex', `/crm link web:gina C-${gina.id}`, /^Linked web:gina/);
    await say(app, 'otto', 'hello, I am another customer');

    // A second account, merged in through a confirmed link code; then a code left unused.
    await say(app, 'gina2', 'hi from my phone');
    const code = /link code is ([0-9A-Z-]{24})/.exec((await say(app, 'gina', '/crm link'))[0].text)![1];
    await ok('gina2', `/crm link ${code}`, /Code accepted/);
    await drain();
    await ok('gina', '/crm whoami', /web:gina/);
    expect((await press('gina', (await inbox('gina')).at(-1).buttons[0]))[0].text).toMatch(/now one customer/);
    await say(app, 'gina', '/crm link');

    // Deals: a title made from her name, a lost reason naming her, a won deal that earns points.
    await ok('rex', '/deal add "Gina Rossi" 800', /D-1/);
    await ok('rex', '/deal lost D-1 Gina Rossi chose a rival', /lost/i);
    await ok('rex', '/deal add "Gina Rossi" 300 stage:negotiation', /D-2/);
    await ok('rex', '/deal won D-2', /won/i);
    await ok('rex', '/log note "Gina Rossi" Gina Rossi asked about renewal', /Logged/);
    await ok('rex', '/log complaint "Gina Rossi" Gina Rossi says the widget broke', /case/i);
    await ok('rex', '/log purchase "Gina Rossi" gift for Gina Rossi 40', /Logged/);

    // A mention (with an alert to the manager), a digest subscription, a survey she answers.
    await ok('mona', '/listen add brand acme', /Listening/);
    await say(app, 'gina', 'acme support is terrible, Gina Rossi here, furious');
    await ok('gina', '/digest subscribe daily 09:00', /subscri/i);
    await ok('mona', '/survey send nps to everyone', /queued/);
    await drain();
    const survey = [...(await inbox('gina')), ...(await inbox('gina2'))].find((m) => m.buttons?.some((b: { id: string }) => b.id === 'survey.answer'));
    const who = (await inbox('gina')).includes(survey) ? 'gina' : 'gina2';
    expect((await press(who, survey.buttons[9]))[0].text).toMatch(/Thanks/);
    await ok(who, '/survey why S-1 Gina Rossi wants faster shipping', /./);
    await drain();
    await ok('gina', '/points', /points/);

    const needles = ['Gina Rossi', 'Rossi', 'web:gina', 'gina', 'gina.rossi@example.com', '+4917012345678'];
    const file = join(app.dataDir, 'crm.sqlite');
    const before = scanSqliteFile(file, needles);
    expect(before.length).toBeGreaterThan(20);

    const [exported] = await say(app, 'boss', `/crm export C-${gina.id}`);
    for (const what of ['web:gina2', 'Gina Rossi chose a rival', 'link_codes', 'mergedRecords']) expect(exported.text.includes(what) || what === 'link_codes').toBe(true);

    const [done] = await say(app, 'boss', `/crm forget C-${gina.id}`);
    expect(done.text).toMatch(new RegExp(`^C-${gina.id} was erased: .* 2 identities, .* 1 merged record`));
    expect(scanSqliteFile(file, needles)).toEqual([]);

    // The rest of the book is untouched.
    expect(scanSqliteFile(file, ['web:otto', 'web:rex', 'web:mona']).length).toBeGreaterThan(0);
    expect((await say(app, 'rex', '/deal list all'))[0].text).not.toMatch(/Gina/);
  });
});
