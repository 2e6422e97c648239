import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { LedgerEntry, Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

const e = (key: string, account: string, delta: number, kind: string, at: string, data: Record<string, unknown> = {}): LedgerEntry => ({ key, account, delta, kind, at, data });
const EARNINGS = [{ kind: 'earn' }, { kind: 'reversal', data: { reversed: 'earn' } }];

for (const engine of ENGINES) {
  describe.runIf(engine.available)(`ledger contract [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(() => store.close());

    engine.it('totals the matching entries of some accounts in a window, in the engine', async () => {
      const l = store.tenant('total-a').ledger('loyalty', 'points');
      for (const x of [
        e('on-from', 'avail:1', 1, 'earn', '2026-01-01T00:00:00.000Z'),
        e('in', 'avail:1', 10, 'earn', '2026-01-02T00:00:00.000Z'),
        e('on-to', 'pending:1', 100, 'earn', '2026-02-01T00:00:00.000Z'),
        e('after', 'avail:1', 1000, 'earn', '2026-02-01T00:00:00.001Z'),
        e('back', 'avail:1', -5, 'reversal', '2026-01-03T00:00:00.000Z', { reversed: 'earn' }),
        e('refund', 'avail:1', 7, 'reversal', '2026-01-03T00:00:00.000Z', { reversed: 'redeem' }),
        e('given', 'avail:1', 50, 'adjust', '2026-01-03T00:00:00.000Z'),
        e('other-account', 'avail:10', 10_000, 'earn', '2026-01-03T00:00:00.000Z'),
      ]) expect((await l.append([x])).status).toBe('ok');
      await store.tenant('total-b').ledger('loyalty', 'points').append([e('other-tenant', 'avail:1', 20_000, 'earn', '2026-01-03T00:00:00.000Z')]);
      await store.tenant('total-a').ledger('loyalty', 'other').append([e('other-ledger', 'avail:1', 40_000, 'earn', '2026-01-03T00:00:00.000Z')]);

      const window = { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' };
      // From is excluded and to included: 10 + 100 - 5.
      expect(await l.total(['avail:1', 'pending:1'], window, EARNINGS)).toBe(105);
      expect(await l.total(['avail:1'], window, [{ kind: 'earn' }])).toBe(10);
      expect(await l.total(['avail:1'], window, [{ kind: 'reversal' }])).toBe(2);
      expect(await l.total(['avail:1'], window, [{ kind: 'reversal', data: { reversed: 'redeem' } }])).toBe(7);
      expect(await l.total(['avail:1', 'pending:1'], window, [])).toBe(0);
      expect(await l.total([], window, EARNINGS)).toBe(0);
      expect(await l.total(['avail:2'], window, EARNINGS)).toBe(0);
      // Text that looks like an operator is a value, never a query.
      expect(await l.total(['avail:1'], window, [{ kind: '{"$ne":null}' }, { kind: 'reversal', data: { reversed: '{"$exists":true}' } }])).toBe(0);
      await expect(l.total(['avail:1'], window, [{ kind: 'earn', data: { "x') OR 1=1 --": 'y' } }])).rejects.toThrow(/invalid field name/);
    });

    engine.it('refuses as a duplicate an append whose later entry key is taken, writing none of it', async () => {
      const a = store.tenant('dup-later').ledger('loyalty', 'points');
      const at = '2026-01-01T00:00:00.000Z';
      await a.append([e('taken', 'x', 1, 'earn', at)]);
      expect(await a.append([e('fresh', 'c', 100, 'earn', at), e('taken', 'x', 1, 'earn', at)])).toEqual({ status: 'duplicate' });
      expect(await a.entries('c')).toEqual([]);
      expect([await a.balance('c'), await a.balance('x')]).toEqual([0, 1]);
    });

    engine.it('gives each append of a concurrent burst its own outcome', async () => {
      const a = store.tenant('burst-a').ledger('loyalty', 'points');
      const b = store.tenant('burst-b').ledger('loyalty', 'points');
      const at = '2026-01-01T00:00:00.000Z';
      await a.append([e('fund', 'c', 3, 'earn', at), e('taken', 'x', 1, 'earn', at)]);
      const results = await Promise.all([
        a.append([e('same', 'c', 1, 'earn', at)]),
        a.append([e('same', 'c', 1, 'earn', at)]),
        ...Array.from({ length: 5 }, (_, i) => a.append([e(`spend-${i}`, 'c', -1, 'redeem', at)], { c: 0 })),
        a.append([e('fresh', 'c', 100, 'earn', at), e('taken', 'x', 1, 'earn', at)]),
        b.append([e('same', 'c', 1, 'earn', at)]),
      ]);
      expect(results.slice(0, 2).map((r) => r.status).sort()).toEqual(['duplicate', 'ok']);
      expect(results.slice(2, 7).filter((r) => r.status === 'ok')).toHaveLength(4);
      expect(results.slice(2, 7).filter((r) => r.status === 'insufficient')).toEqual([{ status: 'insufficient', account: 'c', balance: 0 }]);
      expect(results[7]).toEqual({ status: 'duplicate' });
      expect(results[8]).toEqual({ status: 'ok', balances: { c: 1 } });
      expect(await a.balance('c')).toBe(0);
      expect((await a.entries('c')).reduce((s, x) => s + x.delta, 0)).toBe(0);
      expect(await a.balance('x')).toBe(1);
    });
  });
}
