import { Aggregator, Query } from 'mingo';
import { describe, expect, it } from 'vitest';
import { bucketFilter, liveBucketsFilter as liveFilter } from '../core/store/mongo/filters.js';
import { bucketSpendPipeline as spendPipeline } from '../core/store/mongo/updates.js';
import { openSqliteStore } from '../core/store/sqlite/engine.js';

/** The Mongo spend is an update pipeline; mingo evaluates it the way MongoDB would, starting from the upsert's seed document. */
function spend(doc: Record<string, unknown> | null, perMinute: number, now: number): Record<string, any> {
  return new Aggregator(spendPipeline(perMinute, now) as never[]).run([doc ?? { kind: 'identity', key: 'k' }])[0] as Record<string, any>;
}

// [ms since start, per minute]: a burst, a refill of part of a token, a wait of a whole minute.
const STEPS: [number, number][] = [[0, 3], [0, 3], [0, 3], [0, 3], [10_000, 3], [20_000, 3], [20_000, 3], [95_000, 3], [95_000, 3]];

describe('mingo: the Mongo rate-bucket spend', () => {
  it('takes and refuses the same tokens as the SQLite bucket, step by step', async () => {
    const sqlite = openSqliteStore(':memory:').system.rateBuckets;
    let doc: Record<string, any> | null = null;
    const spent: boolean[] = [];
    for (const [now, perMinute] of STEPS) {
      doc = spend(doc, perMinute, now);
      spent.push(doc.spent);
      const expected = await sqlite.spend('identity', 'k', perMinute, 100, now);
      expect({ spent: doc.spent, tokens: doc.tokens }).toEqual({ spent: expected!.spent, tokens: expect.closeTo(expected!.tokens, 9) });
      expect(doc.refilled).toBeUndefined();
    }
    // 3 a minute is one token per 20 s: the burst of 3, nothing at 10 s, one at 20 s, full again after a minute.
    expect(spent).toEqual([true, true, true, false, false, true, false, true, true]);
  });

  it('starts a new bucket full, and expires it a minute after its last use', () => {
    const fresh = spend(null, 5, 1_000);
    expect(fresh).toMatchObject({ kind: 'identity', key: 'k', spent: true, tokens: 4, at: 1_000, toldUntil: 0 });
    expect((fresh.expiresAt as Date).getTime()).toBe(61_000);
    // A clock behind the bucket's (another process) never moves its time back.
    expect(spend(fresh, 5, 500)).toMatchObject({ at: 1_000, tokens: 3 });
  });

  it('matches buckets by plain equality and counts only those used within the minute', () => {
    const docs = [
      { kind: 'identity', key: '{"$gt":""}', at: 0 },
      { kind: 'identity', key: 'web:a', at: 30_000 },
      { kind: 'source', key: 'web:a', at: 30_000 },
    ];
    expect(new Query(bucketFilter('identity', '{"$gt":""}')).find(docs).all()).toEqual([docs[0]]);
    expect(new Query(liveFilter('identity', 60_000)).find(docs).all()).toEqual([docs[1]]);
  });
});
