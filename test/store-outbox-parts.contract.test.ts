import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

const NOW = '2026-06-30T12:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

for (const engine of ENGINES) {
  describe.runIf(engine.available)(`outbox parts contract [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(() => store.close());

    engine.it('records delivered parts for the lease holder only, and hands them back with the item on the next claim', async () => {
      const q = store.system.outbox;
      await store.tenant('t-parts').outbox.enqueue({ platform: 'slack', target: 'channel:C1', reply: { text: 'chart' }, idempotencyKey: 'p1' }, NOW);
      const [first] = await q.claim('w1', NOW, 1000, 10, ['slack']);
      expect(first!.parts).toEqual({});
      expect(await q.markPart(first!.id, 'w1', 'message', '1700000000.000100')).toBe(true);
      expect(await q.markPart(first!.id, 'w2', 'upload', null)).toBe(false);
      expect(await q.retryAt(first!.id, 'w1', at(5), 'upload failed')).toBe(true);
      // No longer leased to w1: a late record from it changes nothing.
      expect(await q.markPart(first!.id, 'w1', 'upload', null)).toBe(false);

      const [again] = await q.claim('w2', at(5), 1000, 10, ['slack']);
      expect(again).toMatchObject({ id: first!.id, attempts: 2, parts: { message: '1700000000.000100' } });
      expect(await q.markPart(again!.id, 'w2', 'message:1', '42')).toBe(true);
      expect(await q.markPart(again!.id, 'w2', 'upload', null)).toBe(true);
      expect(await q.markSent(again!.id, 'w2', at(5))).toBe(true);
      const [sent] = await store.tenant('t-parts').outbox.delivered('channel:C1', 1);
      expect(sent!.parts).toEqual({ message: '1700000000.000100', 'message:1': '42', upload: null });
    });

    engine.it('takes part keys that look like JSON paths or operators as plain keys, or refuses them', async () => {
      const q = store.system.outbox;
      await store.tenant('t-parts').outbox.enqueue({ platform: 'web', target: 'web:a', reply: { text: 'x' }, idempotencyKey: 'p2' }, NOW);
      const [item] = await q.claim('w1', NOW, 1000, 10, ['web']);
      const odd = ['a.b', '$set', "x'y"];
      for (const key of odd) {
        const recorded = await q.markPart(item!.id, 'w1', key, null).catch(() => 'refused' as const);
        if (recorded !== 'refused') expect(recorded).toBe(true);
      }
      const [back] = await (async () => {
        await q.retryAt(item!.id, 'w1', NOW, 'again');
        return q.claim('w1', NOW, 1000, 10, ['web']);
      })();
      // Whatever was recorded is there under its own name, never as a nested path or an operator.
      for (const key of Object.keys(back!.parts ?? {})) expect(odd).toContain(key);
    });
  });
}
