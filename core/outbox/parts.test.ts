import { describe, expect, it } from 'vitest';
import { openSqliteStore } from '../store/sqlite/engine.js';
import { storedParts, untrackedParts } from './parts.js';

const NOW = '2026-06-30T12:00:00.000Z';
const LATER = '2026-06-30T12:01:00.000Z';

describe('outbox parts', () => {
  it('remember delivered parts across attempts, and refuse to record once the lease is gone', async () => {
    const store = openSqliteStore(':memory:');
    const q = store.system.outbox;
    await store.tenant('t').outbox.enqueue({ platform: 'telegram', target: 'telegram:1', reply: { text: 'long' }, idempotencyKey: 'k' }, NOW);
    const [first] = await q.claim('w1', NOW, 1000, 1, ['telegram']);
    const parts = storedParts(q, first!, 'w1');
    expect(parts.has('message:0')).toBe(false);
    await parts.delivered('message:0', '101');
    expect(parts.has('message:0')).toBe(true);

    // w1 stalled past its lease and w2 took the item over: w1 may no longer record anything.
    const [taken] = await q.claim('w2', LATER, 1000, 1, ['telegram']);
    await expect(parts.delivered('message:1', '102')).rejects.toThrow(/no longer leased to w1/);
    const again = storedParts(q, taken!, 'w2');
    expect([again.has('message:0'), again.has('message:1')]).toEqual([true, false]);
  });

  it('outside the outbox, nothing counts as delivered and nothing is recorded', async () => {
    const parts = untrackedParts();
    await parts.delivered('message:0');
    expect(parts.has('message:0')).toBe(false);
  });
});
