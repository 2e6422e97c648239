import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

for (const engine of ENGINES) {
  describe.runIf(engine.available)(`rate buckets contract [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(() => store.close());

    engine.it('spends, refuses, refills and refunds one bucket per kind and key', async () => {
      const b = store.system.rateBuckets;
      expect(await b.spend('identity', 'web:a', 2, 10, 0)).toEqual({ spent: true, tokens: 1 });
      expect(await b.spend('identity', 'web:a', 2, 10, 0)).toEqual({ spent: true, tokens: 0 });
      expect(await b.spend('identity', 'web:a', 2, 10, 15_000)).toEqual({ spent: false, tokens: 0.5 });
      expect(await b.spend('source', 'web:a', 2, 10, 15_000)).toEqual({ spent: true, tokens: 1 });
      await b.refund('identity', 'web:a', 2);
      expect(await b.spend('identity', 'web:a', 2, 10, 15_000)).toEqual({ spent: true, tokens: 0.5 });
      expect(await b.spend('identity', 'web:a', 2, 10, 75_000)).toEqual({ spent: true, tokens: 1 });
    });

    engine.it('gives a new key a bucket only while fewer than maxKeys were used within the minute', async () => {
      const b = store.system.rateBuckets;
      // Long after the other cases' buckets went idle.
      expect(await b.spend('identity', 'k1', 5, 2, 1_000_000)).toMatchObject({ spent: true });
      expect(await b.spend('identity', 'k2', 5, 2, 1_000_000)).toMatchObject({ spent: true });
      expect(await b.spend('identity', 'k3', 5, 2, 1_000_000)).toBeNull();
      expect(await b.live('identity', 1_000_000)).toBe(2);
      expect(await b.spend('identity', 'k3', 5, 2, 1_060_000)).toMatchObject({ spent: true });
      // What is left idle goes (an engine may already have forgotten some to make room for k3).
      expect(await b.prune(1_060_000)).toBeGreaterThanOrEqual(1);
      expect(await b.live('identity', 1_060_000)).toBe(1);
      expect(await b.prune(1_060_000)).toBe(0);
    });

    engine.it('refuses a flood of new keys at the bound, keeps the live ones, and makes room once they go idle', async () => {
      const b = store.system.rateBuckets;
      for (const k of ['f1', 'f2', 'f3']) expect(await b.spend('source', k, 5, 3, 3_000_000)).toMatchObject({ spent: true });
      for (let i = 0; i < 50; i++) expect(await b.spend('source', `made-up-${i}`, 5, 3, 3_000_000 + i * 1000)).toBeNull();
      expect(await b.live('source', 3_050_000)).toBe(3);
      // A live key still spends from its own bucket while the new ones are refused.
      expect(await b.spend('source', 'f2', 5, 3, 3_050_000)).toMatchObject({ spent: true });
      // A minute after f1 and f3 were last used, they are idle: one new key fits beside f2.
      expect(await b.spend('source', 'made-up-0', 5, 3, 3_060_000)).toMatchObject({ spent: true, tokens: 4 });
      expect(await b.spend('source', 'made-up-1', 5, 3, 3_060_000)).toMatchObject({ spent: true });
      expect(await b.spend('source', 'made-up-2', 5, 3, 3_060_000)).toBeNull();
      expect(await b.live('source', 3_060_000)).toBe(3);
    });

    engine.it('tells an existing bucket once a minute, and never a missing one', async () => {
      const b = store.system.rateBuckets;
      await b.spend('identity', 'web:t', 1, 10, 200_000);
      expect([await b.tell('identity', 'web:t', 200_000), await b.tell('identity', 'web:t', 259_999)]).toEqual([true, false]);
      expect(await b.tell('identity', 'web:t', 260_000)).toBe(true);
      expect(await b.tell('identity', 'web:nobody', 200_000)).toBe(false);
    });
  });
}
