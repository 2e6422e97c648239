import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Store } from '../port.js';
import { openMongoStore } from './engine.js';

const uri = inject('jongodbUri');
const NOW = '2026-06-30T12:00:00.000Z';

/** The writes that must survive a failover ask for majority acknowledgement, seen in the driver calls mongoose makes. */
describe.runIf(uri)('Mongo engine write concerns (on jongodb)', () => {
  let store: Store;
  const calls: { collection: string; method: string; args: unknown[] }[] = [];
  beforeAll(async () => {
    const url = new URL(uri!);
    url.pathname = `/crm_wc_${randomUUID().slice(0, 8)}`;
    store = await openMongoStore(url.toString());
    mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => void calls.push({ collection, method, args }));
  });
  afterAll(async () => {
    mongoose.set('debug', false);
    await store.close();
  });

  const majority = (collection: string, method: string) => {
    const mine = calls.filter((c) => c.collection === collection && c.method === method);
    expect(mine.length, `${collection}.${method} was called`).toBeGreaterThan(0);
    return mine.every((c) => JSON.stringify(c.args).includes('"w":"majority"'));
  };

  it('event keys, job ticks and outbox leases are written with w: majority', async () => {
    expect(await store.system.firstSeen('slack:Ev1', NOW)).toBe(true);
    expect(await store.system.claimTick('digest', 't1', 'p1', NOW)).toBe(true);
    expect(await store.system.releaseTick('digest', 't1', 'p1')).toBe(true);
    expect(await store.system.claimReleasedTick('digest', 'p2', NOW)).toBe('t1');
    await store.tenant('acme').outbox.enqueue({ platform: 'slack', target: 'C1', reply: { text: 'hi' }, idempotencyKey: 'k1' } as never, NOW);
    const [item] = await store.system.outbox.claim('w1', NOW, 60_000, 5, ['slack']);
    expect(await store.system.outbox.markSent(item!.id, 'w1', NOW)).toBe(true);
    // Dedupe keys are group-committed: one bulk write of insert-only upserts per batch.
    expect(majority('events_seen', 'bulkWrite')).toBe(true);
    expect(majority('job_ticks', 'insertOne')).toBe(true);
    expect(majority('job_ticks', 'updateOne')).toBe(true);
    expect(majority('job_ticks', 'findOneAndUpdate')).toBe(true);
    expect(majority('outbox', 'updateMany')).toBe(true);
    expect(majority('outbox', 'updateOne')).toBe(true);
  });
});
