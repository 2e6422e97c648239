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
      expect(await b.prune(1_060_000)).toBeGreaterThanOrEqual(2);
      expect(await b.live('identity', 1_060_000)).toBe(1);
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
