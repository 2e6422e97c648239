import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { say, startTestApp, type TestApp } from './helpers/app.js';

/**
 * Loyalty on the event's clock (issue 18, item 5): a purchase imported from last year earns at its own
 * occurredAt, so its pending period and expiry run from then, not from the day it was loaded.
 */
const NOW = Date.parse('2026-06-10T09:00:00.000Z');
const DAY = 86_400_000;

describe('loyalty earns at the event time', () => {
  let app: TestApp;
  const ledger = () => app.engine.store.tenant('default').ledger('loyalty', 'points');
  beforeAll(async () => {
    app = await startTestApp({ CRM_ADMINS: 'web:boss' }, {
      plugins: { loyalty: { enabled: true, config: { pendingDays: 14, expiryMonths: 12 } } },
    }, undefined, () => NOW);
  });
  afterAll(() => app.stop());

  it('books imported purchases in their own months, with pending period and expiry from then', async () => {
    await say(app, 'alice', '/customer add Hist');
    const ts = app.engine.store.tenant('default');
    const [c] = await ts.customers.findByName('Hist');
    const months = ['2025-04-15T10:00:00.000Z', '2025-09-15T10:00:00.000Z', '2026-05-30T10:00:00.000Z'];
    for (const [i, at] of months.entries()) {
      const { interaction } = await ts.interactions.add({
        customerId: c!.id, identity: null, type: 'purchase', channel: 'import', direction: 'in', text: `order ${i}`, amountMinor: 100_00,
        currency: 'USD', occurredAt: at, sourceEventId: `import:${i}`,
      });
      await app.engine.bus.emit('interaction.recorded', { tenant: 'default', interaction, by: 'import' });
    }
    const earns = (await ledger().entries(`pending:${c!.id}`)).filter((e) => e.kind === 'earn');
    expect(earns.map((e) => e.at).sort()).toEqual(months);
    for (const e of earns) {
      const at = new Date(e.at);
      const expires = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 12, at.getUTCDate(), at.getUTCHours(), at.getUTCMinutes()));
      expect(e.data).toMatchObject({ earnedAt: e.at, releaseAt: new Date(Date.parse(e.at) + 14 * DAY).toISOString(), expiresAt: expires.toISOString() });
    }
    // The daily pass: the two old purchases are past their pending period (one also past its expiry); the recent one still pending.
    await app.engine.scheduler.fire('loyalty:daily:default', new Date(NOW + DAY));
    const [mine] = await say(app, 'boss', `/points C-${c!.id}`);
    expect(mine.text).toMatch(/ 100 pending/);
  });

  it('never earns in the future: an event stamped later than now earns now', async () => {
    await say(app, 'alice', '/customer add Future');
    const ts = app.engine.store.tenant('default');
    const [c] = await ts.customers.findByName('Future');
    const { interaction } = await ts.interactions.add({
      customerId: c!.id, identity: null, type: 'purchase', channel: 'import', direction: 'in', text: 'typo', amountMinor: 10_00,
      currency: 'USD', occurredAt: '2027-01-01T00:00:00.000Z', sourceEventId: 'import:future',
    });
    await app.engine.bus.emit('interaction.recorded', { tenant: 'default', interaction, by: 'import' });
    const [e] = (await ledger().entries(`pending:${c!.id}`)).filter((x) => x.kind === 'earn');
    expect(e!.at).toBe(new Date(NOW).toISOString());
  });
});
