import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../core/index.js';
import { say, startTestApp, type TestApp } from './helpers/app.js';

/** Correctness under load on the embedded engine: the ledger, not the plugin, decides who gets what. */
describe('loyalty under concurrency', () => {
  let app: TestApp;
  const ledger = () => app.engine.store.tenant('default').ledger('loyalty', 'points');
  const sum = async (account: string) => (await ledger().entries(account)).reduce((s, e) => s + e.delta, 0);
  let n = 0;
  const typed = (user: string, text: string): ChatEvent => ({
    platform: 'web', scope: null, actor: { identity: `web:${user}`, displayName: user }, channel: 'web', eventId: `load-${++n}`, text,
  });

  beforeAll(async () => {
    app = await startTestApp({}, {
      roles: { assign: { 'web:carol': 'customer', 'web:dora': 'customer', 'web:mona': 'manager' } },
      rateLimit: { commandsPerMinute: 10_000 },
      plugins: { loyalty: { enabled: true, config: { rules: { welcome: { points: 0 } } } } },
    });
  });
  afterAll(() => app.stop());

  it('200 concurrent redemptions against a balance that covers 50: exactly 50 succeed, never below zero', async () => {
    await say(app, 'carol', '/points');
    await say(app, 'mona', '/rewards add sticker 10 1000 Sticker');
    await say(app, 'mona', '/points give carol 500 launch party');
    const replies = await Promise.all(Array.from({ length: 200 }, () => app.engine.handle(typed('carol', '/redeem sticker'))));
    const texts = replies.map((r) => r[0]!.text);
    expect(texts.filter((t) => t.startsWith('Redeemed Sticker for 10 points.'))).toHaveLength(50);
    expect(texts.filter((t) => /^You have \d+ points to spend; Sticker costs 10\. Nothing was spent\.$/.test(t))).toHaveLength(150);
    expect(await ledger().balance('avail:1')).toBe(0);
    expect(await sum('avail:1')).toBe(0);
    expect(await ledger().balance('stock:sticker')).toBe(950);
    expect(await sum('stock:sticker')).toBe(950);
    let running = 0;
    for (const e of await ledger().entries('avail:1')) {
      running += e.delta;
      expect(running).toBeGreaterThanOrEqual(0);
    }
  });

  it('a redemption the stock cannot honour writes nothing: points untouched (one atomic append)', async () => {
    await say(app, 'dora', '/points');
    await say(app, 'mona', '/rewards add poster 30 1 Poster');
    await say(app, 'mona', '/points give dora 100 contest');
    const dora = (await app.engine.store.tenant('default').identities.get('web:dora'))!.customerId!;
    const both = await Promise.all([app.engine.handle(typed('dora', '/redeem poster')), app.engine.handle(typed('dora', '/redeem poster'))]);
    const texts = both.map((r) => r[0]!.text);
    expect(texts.filter((t) => t.startsWith('Redeemed Poster for 30 points. 70 points left.'))).toHaveLength(1);
    expect(texts.filter((t) => t === 'Poster is out of stock; nothing was spent. See /rewards.')).toHaveLength(1);
    const before = await ledger().entriesByPrefix('');
    expect((await say(app, 'dora', '/redeem poster'))[0].text).toBe('Poster is out of stock; nothing was spent. See /rewards.');
    expect(await ledger().entriesByPrefix('')).toEqual(before);
    expect(await ledger().balance(`avail:${dora}`)).toBe(70);
    expect(await ledger().balance('stock:poster')).toBe(0);
  });

  it('concurrent earnings for one customer never pass a per-day cap', async () => {
    const dora = (await app.engine.store.tenant('default').identities.get('web:dora'))!.customerId!;
    const before = await ledger().balance(`avail:${dora}`);
    await Promise.all(Array.from({ length: 20 }, () => app.engine.handle(typed('mona', `/points helpful C-${dora}`))));
    expect(await ledger().balance(`avail:${dora}`)).toBe(before + 25);
  });
});
