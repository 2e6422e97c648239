import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from '../helpers/app.js';

/** Points nobody can mint: a rep's won deal or logged purchase earns at most what a manager may give by hand. */
describe('points above a cap wait for a manager', () => {
  let app: TestApp;
  const ledger = () => app.engine.store.tenant('default').ledger('loyalty', 'points');

  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, {
      roles: { assign: { 'web:mona': 'manager', 'web:rex': 'rep' } },
      plugins: { loyalty: { enabled: true, config: { maxManualPoints: 1000, rules: { purchase: { pending: false, capPerDay: 1500 } } } } },
    });
  });
  afterAll(() => app.stop());

  it('caps a won deal of millions at maxManualPoints and holds the rest, recording who caused it', async () => {
    await say(app, 'rex', '/customer add Mallet');
    const id = (await app.engine.store.tenant('default').customers.findByName('Mallet'))[0]!.id;
    await say(app, 'rex', '/deal add Mallet 5000000 stage:negotiation');
    await say(app, 'rex', '/deal won D-1');
    expect(await ledger().balance(`avail:${id}`)).toBe(50 + 1000);
    // The rep cannot give points by hand, nor approve.
    expect((await say(app, 'rex', `/points give C-${id} 1000 because`))[0].text).toMatch(/needs the role admin or manager/);
    expect((await say(app, 'rex', '/points approve'))[0].text).toMatch(/needs the role admin or manager/);

    const [list] = await say(app, 'mona', '/points approve');
    expect(list.text).toMatch(/^1 held above a cap/);
    expect(list.fields).toHaveLength(1);
    const held = list.fields[0];
    expect(held.value).toBe(`${5_000_000 - 1000} points to C-${id} (dealWon 1), caused by web:rex on ${new Date().toISOString().slice(0, 10)}`);

    const [history] = await say(app, 'mona', `/points history C-${id}`);
    expect(history.fields.find((f: { label: string }) => / earn \+1000 /.test(f.label)).value).toMatch(/^dealWon; by web:rex; key dealWon:1$/);
    expect(history.fields.find((f: { label: string }) => / earn \+50 /.test(f.label)).value).toMatch(/by system:first-contact/);

    expect((await say(app, 'mona', `/points refuse ${held.label}`))[0].text).toBe(`Refused ${held.label}: the ${5_000_000 - 1000} points to C-${id} are not given.`);
    expect((await say(app, 'mona', `/points approve ${held.label}`))[0].text).toMatch(/already refused by web:mona/);
    expect(await ledger().balance(`avail:${id}`)).toBe(50 + 1000);
  });

  it('caps logged purchases per event and per customer per day; a manager approves the excess once', async () => {
    await say(app, 'rex', '/customer add Pat');
    const id = (await app.engine.store.tenant('default').customers.findByName('Pat'))[0]!.id;
    await say(app, 'rex', '/log purchase Pat 1200');
    await say(app, 'rex', '/log purchase Pat 900');
    // 50 welcome + 1000 (event cap) + 500 (what the 1,500 day cap leaves); the second purchase earns at
    // Silver (x1.25, 1,050 earned), so 1,125 of which 625 wait.
    expect(await ledger().balance(`avail:${id}`)).toBe(50 + 1000 + 500);
    const [list] = await say(app, 'mona', '/points approve');
    const mine = list.fields.filter((f: { value: string }) => f.value.includes(`to C-${id} `));
    expect(mine.map((f: { value: string }) => f.value.split(' ')[0])).toEqual(['200', '625']);
    const [ok] = await say(app, 'mona', `/points approve ${mine[1].label.toLowerCase()}`);
    expect(ok.text).toMatch(new RegExp(`^Approved ${mine[1].label}: \\+625 points to C-${id} \\(purchase, caused by web:rex\\)\\.$`));
    expect((await say(app, 'boss', `/points approve ${mine[1].label}`))[0].text).toMatch(/already approved by web:mona/);
    expect(await ledger().balance(`avail:${id}`)).toBe(50 + 1000 + 500 + 625);
    const [history] = await say(app, 'mona', `/points history C-${id}`);
    expect(history.fields.some((f: { value: string }) => /by web:rex, approved by web:mona/.test(f.value))).toBe(true);
  });
});
