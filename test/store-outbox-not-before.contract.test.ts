import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

const NOW = '2026-06-30T12:00:00.000Z';
const at = (seconds: number) => new Date(Date.parse(NOW) + seconds * 1000).toISOString();

for (const engine of ENGINES) {
  describe.runIf(engine.available)(`outbox not-before contract [${engine.name}]`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(() => store.close());

    engine.it('an item queued with notBefore is not claimed before that time, and is claimed from then on', async () => {
      const ts = store.tenant('t-later');
      const q = store.system.outbox;
      expect(await ts.outbox.enqueue({ platform: 'telegram', target: 'telegram:7', reply: { text: 'later' }, idempotencyKey: 'nb1', notBefore: at(60) }, NOW)).toBe(true);
      await ts.outbox.enqueue({ platform: 'telegram', target: 'telegram:8', reply: { text: 'now' }, idempotencyKey: 'nb2' }, NOW);
      const due = await q.claim('w1', NOW, 1000, 10, ['telegram']);
      expect(due.map((i) => i.reply.text)).toEqual(['now']);
      await q.markSent(due[0]!.id, 'w1', NOW);
      expect(await q.claim('w1', at(59), 1000, 10, ['telegram'])).toEqual([]);
      const [later] = await q.claim('w1', at(60), 1000, 10, ['telegram']);
      expect(later).toMatchObject({ reply: { text: 'later' }, nextAttemptAt: at(60), createdAt: NOW, attempts: 1 });
    });
  });
}
