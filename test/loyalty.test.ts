import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Interaction } from '../core/index.js';
import { say, startTestApp, type TestApp } from './helpers/app.js';

const DAY = 86_400_000;
const field = (reply: { fields?: { label: string; value: string }[] }, label: string) => reply.fields?.find((f) => f.label === label)?.value;

describe('loyalty points in the web chat', () => {
  let app: TestApp;
  const ledger = () => app.engine.store.tenant('default').ledger('loyalty', 'points');
  const everything = async () => ledger().entriesByPrefix('');
  const inbox = async (user: string) => (await (await fetch(`${app.url}/web/api/inbox?user=${user}`)).json()).messages as { text: string }[];

  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, {
      roles: { assign: { 'web:carol': 'customer', 'web:dave': 'customer', 'web:mona': 'manager' } },
      plugins: { loyalty: { enabled: true, config: { pendingDays: 14, maxManualPoints: 500 } } },
    });
  });
  afterAll(() => app.stop());

  it('earns on a purchase into pending, releases it after the pending period, redeems, explains the tier, warns and expires', async () => {
    const [first] = await say(app, 'carol', '/points');
    expect(first.text).toBe('You have 50 points to spend and 0 pending.'); // the welcome bonus of her new record
    const start = Date.now();

    expect((await say(app, 'alice', '/log purchase carol gift box 120'))[0].text).toBe('Logged a purchase with C-1 carol ($120.00).');
    const [afterBuy] = await say(app, 'carol', '/points');
    expect(afterBuy.text).toBe('You have 50 points to spend and 120 pending.');
    expect(field(afterBuy, 'Pending')).toBe(`120 (next 120 spendable on ${new Date(start + 14 * DAY).toISOString().slice(0, 10)})`);
    expect((await say(app, 'carol', '/redeem mug'))[0].text).toBe('No reward "mug". See /rewards for what there is.');

    // The job takes "now" from its tick: 10 days on nothing is due, 15 days on the purchase is spendable.
    await app.engine.scheduler.fire('loyalty:daily:default', new Date(start + 10 * DAY));
    expect((await say(app, 'carol', '/points'))[0].text).toBe('You have 50 points to spend and 120 pending.');
    await app.engine.scheduler.fire('loyalty:daily:default', new Date(start + 15 * DAY));
    expect((await say(app, 'carol', '/points'))[0].text).toBe('You have 170 points to spend and 0 pending.');

    expect((await say(app, 'mona', '/rewards add mug 150 3 Coffee mug'))[0].text).toBe('Added reward mug: Coffee mug, 150 points, 3 in stock.');
    const [list] = await say(app, 'carol', '/rewards');
    expect(field(list, 'mug: Coffee mug')).toBe('150 points, 3 left');
    const [redeemed] = await say(app, 'carol', '/redeem mug');
    expect(redeemed.text).toMatch(/^Redeemed Coffee mug for 150 points\. 20 points left\. Reference: redeem:web:[0-9a-f-]{36}\.$/);
    expect((await say(app, 'carol', '/redeem mug'))[0].text).toBe('You have 20 points to spend; Coffee mug costs 150. Nothing was spent.');

    const [tier] = await say(app, 'carol', '/points tier');
    expect(tier.text).toBe('Tier Bronze: 170 points earned in the last 365 days; Bronze starts at 0. Silver needs 830 more (1000 in 365 days, x1.25).');
    const [history] = await say(app, 'carol', '/points history');
    expect(history.fields.map((f: { label: string }) => f.label.replace(/^\S+ /, ''))).toEqual(
      expect.arrayContaining(['earn +50 avail', 'earn +120 pending', 'release -120 pending', 'release +120 avail', 'redeem -150 avail']),
    );
    const [card] = await say(app, 'alice', '/customer show carol');
    expect(field(card, 'Loyalty')).toBe('20 points, 0 pending, tier Bronze');

    // FIFO: the redemption used the older welcome lot first, so 20 points of the purchase lot are left to expire.
    const expiry = new Date(start);
    expiry.setUTCMonth(expiry.getUTCMonth() + 12);
    await app.engine.scheduler.fire('loyalty:daily:default', new Date(expiry.getTime() - 10 * DAY));
    await app.engine.scheduler.fire('loyalty:daily:default', new Date(expiry.getTime() - 9 * DAY));
    await app.engine.outbox.drain();
    expect((await inbox('carol')).map((m) => m.text)).toEqual([`20 of your loyalty points expire on ${expiry.toISOString().slice(0, 10)}. Spend them with /rewards and /redeem <reward>.`]);
    expect(field((await say(app, 'carol', '/points'))[0], 'Expiring soon')).toBeDefined();
    await app.engine.scheduler.fire('loyalty:daily:default', new Date(expiry.getTime() + DAY));
    expect((await say(app, 'carol', '/points'))[0].text).toBe('You have 0 points to spend and 0 pending.');
    expect((await ledger().entries('avail:1')).at(-1)).toMatchObject({ key: 'expire:purchase:1', kind: 'expire', delta: -20 });
  });

  it('earns once for the same purchase event delivered five times', async () => {
    await say(app, 'dave', '/points');
    const dave = (await app.engine.store.tenant('default').identities.get('web:dave'))!.customerId!;
    const interaction: Interaction = {
      tenant: 'default', id: 9001, customerId: dave, identity: 'web:alice', type: 'purchase', channel: 'web:web', direction: 'out',
      text: 'boots', amountMinor: 8_950, currency: 'USD', occurredAt: new Date().toISOString(), sourceEventId: null,
    };
    for (let i = 0; i < 5; i++) await app.engine.bus.emit('interaction.recorded', { tenant: 'default', interaction, by: 'web:alice' });
    expect(await ledger().balance(`pending:${dave}`)).toBe(89);
    expect((await ledger().entries(`pending:${dave}`)).map((e) => e.key)).toEqual(['purchase:9001']);
  });

  it('earns for a won deal, a survey answer, a helpful message (capped per day) and a referral (once)', async () => {
    await say(app, 'alice', '/customer add Erin');
    await say(app, 'alice', '/deal add Erin 300 stage:negotiation');
    await say(app, 'alice', '/deal won D-1');
    const erin = (await app.engine.store.tenant('default').customers.findByName('Erin'))[0]!.id;
    expect(await ledger().balance(`avail:${erin}`)).toBe(50 + 300);
    for (let i = 0; i < 6; i++) await say(app, 'alice', `/points helpful C-${erin}`);
    expect(await ledger().balance(`avail:${erin}`)).toBe(350 + 25);
    expect((await say(app, 'alice', `/points helpful C-${erin}`))[0].text).toBe(`C-${erin} Erin already got the most points for helpful messages allowed (25 a day); nothing added.`);
    expect((await say(app, 'alice', `/points referral C-${erin} dave`))[0].text).toMatch(/^\+100 points to C-\d+ Erin for referring C-\d+ dave\.$/);
    expect((await say(app, 'alice', `/points referral carol dave`))[0].text).toMatch(/was already referred; a referral earns once\.$/);
    const { interaction } = await app.engine.store.tenant('default').interactions.add({
      customerId: erin, identity: null, type: 'survey_response', channel: 'web', direction: 'in', text: 'nps 9', amountMinor: null, currency: null, occurredAt: new Date().toISOString(), sourceEventId: null,
    });
    await app.engine.bus.emit('interaction.recorded', { tenant: 'default', interaction, by: 'web:erin' });
    expect(await ledger().balance(`avail:${erin}`)).toBe(375 + 100 + 10);
  });

  it('lets managers give, take and reverse, with reasons and keys in the history', async () => {
    const [gave] = await say(app, 'mona', '/points give web:carol 40 sorry for the delay');
    expect(gave.text).toMatch(/^Gave 40 points to C-1 carol \(sorry for the delay\)\. Balance: 40 points\. Undo with \/points reverse C-1 (adjust:\S+)\.$/);
    const key = /reverse C-1 (adjust:\S+)\./.exec(gave.text)![1]!;
    expect((await say(app, 'mona', `/points take carol 15 typo`))[0].text).toBe('Took 15 points from C-1 carol (typo). Balance: 25 points. Undo with /points reverse C-1 ' + (await ledger().entries('avail:1')).at(-1)!.key + '.');
    expect((await say(app, 'mona', `/points reverse C-1 ${key} given twice`))[0].text).toBe(`C-1 carol has only 25 points left there, fewer than the 40 to take back; nothing was changed. Use /points take for what is left.`);
    await say(app, 'mona', '/points give carol 100 welcome back');
    expect((await say(app, 'mona', `/points reverse C-1 ${key} given twice`))[0].text).toBe(`Reversed ${key} for C-1 carol: -40 points.`);
    expect((await say(app, 'mona', `/points reverse C-1 ${key}`))[0].text).toBe(`${key} was already reversed.`);
    expect(await ledger().balance('avail:1')).toBe(85);
    const redemption = (await ledger().entries('avail:1')).find((e) => e.kind === 'redeem')!;
    expect((await say(app, 'mona', `/points reverse carol ${redemption.key} mug broken`))[0].text).toBe(`Reversed ${redemption.key} for C-1 carol: +150 points, one back in stock.`);
    expect(await ledger().balance('stock:mug')).toBe(3);
    await say(app, 'mona', '/points take carol 150 mug replaced instead');
    expect(await ledger().balance('avail:1')).toBe(85);
  });

  it.each([
    ['alice', '/points give carol 10 nice', '/points give needs the role admin or manager; you are rep. Ask an admin (/crm role).'],
    ['mona', '/points give carol -5 oops', 'Points cannot be negative (you wrote -5). Usage: /points give <customer|identity> <points> <reason>'],
    ['mona', '/points give carol 2.5 half', 'Points are whole numbers (you wrote 2.5). Usage: /points give <customer|identity> <points> <reason>'],
    ['mona', '/points give carol 501 too many', 'Points are at most 500 at a time (you wrote 501). Usage: /points give <customer|identity> <points> <reason>'],
    ['mona', '/points give carol 10', 'Say the customer, the points and the reason. Usage: /points give <customer|identity> <points> <reason>'],
    ['mona', '/points give web:nobody 10 hi', 'No one has written from web:nobody yet. Name the customer instead (name or C-id).'],
    ['mona', '/points take carol 500 all', 'C-1 carol has only 85 points to spend; nothing was taken.'],
    ['carol', '/points give carol 10 me', '/points give needs the role admin or manager; you are customer. Ask an admin (/crm role).'],
    ['carol', '/redeem nothing-here', 'No reward "nothing-here". See /rewards for what there is.'],
    ['carol', '/redeem mug dave', 'You can redeem only for yourself: /redeem <reward>.'],
    ['carol', '/points dave', 'You can see only your own points: type /points.'],
    ['carol', '/points history C-2', 'You can see only your own points: type /points history.'],
    ['alice', '/redeem mug carol', '/redeem reward needs the role customer, manager or admin; you are rep. Ask an admin (/crm role).'],
    ['alice', '/points', 'You have no customer record of your own. Look a customer up with /points <customer> (name, C-id or identity like web:carol), or /customer find <text>.'],
    ['mona', '/rewards add mug 0 1 Mug', 'Costs must be above zero. Usage: /rewards add <id> <cost> <stock> <title>'],
    ['mona', '/rewards add {"$gt":""} 5 1 Mug', expect.stringMatching(/is not a reward id/)],
    ['alice', '/rewards add cap 5 1 Cap', '/rewards add needs the role admin or manager; you are rep. Ask an admin (/crm role).'],
  ])('%s: %s is refused and writes nothing', async (user, line, want) => {
    const before = await everything();
    const [r] = await say(app, user, line);
    expect(r.text).toEqual(want);
    expect(await everything()).toEqual(before);
  });

  it('exports and erases a person\'s points', async () => {
    const [exported] = await say(app, 'boss', '/crm export carol');
    const data = JSON.parse(exported.text.slice(exported.text.indexOf('\n') + 1));
    expect(data.plugins.loyalty.avail.length).toBeGreaterThan(5);
    expect(data.plugins.loyalty.pending.map((e: { key: string }) => e.key)).toEqual(['purchase:1', 'release:purchase:1']);
    await say(app, 'boss', '/crm forget C-1');
    expect(await ledger().entries('avail:1')).toEqual([]);
    expect(await ledger().entries('pending:1')).toEqual([]);
    expect(await ledger().balance('avail:1')).toBe(0);
    expect(await ledger().balance('stock:mug')).toBe(3);
  });
});
