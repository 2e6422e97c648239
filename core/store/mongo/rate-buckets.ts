import { Schema, type Connection } from 'mongoose';
import type { RateBucketRepo, RateKind } from '../port.js';
import { BUCKET_MS, bucketFilter, idleBucketsFilter, liveBucketsFilter, untoldBucketFilter } from './filters.js';
import { bucketRefundPipeline, bucketSpendPipeline, bucketToldUpdate } from './updates.js';
import { isDuplicateOn } from './duplicate-key.js';
import { roomByTally, type LiveTally } from './live-buckets.js';

const bucket = new Schema({
  kind: String, key: String, tokens: Number, at: Number, toldUntil: Number, spent: Boolean, expiresAt: Date,
}, { versionKey: false, strictQuery: 'throw' });
bucket.index({ kind: 1, key: 1 }, { unique: true });
bucket.index({ kind: 1, at: 1 });
// A bucket untouched for a minute is full again: the server forgets it by itself.
bucket.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export function rateBucketModels(conn: Connection) {
  return { RateBucket: conn.model('RateBucket', bucket, 'rate_buckets') };
}
export type RateBucketModels = ReturnType<typeof rateBucketModels>;

export function mongoRateBuckets(m: RateBucketModels): RateBucketRepo {
  // Other processes' new buckets are seen at the next count, within `RECOUNT_MS`: the bound may be passed by what they make meanwhile.
  const tallies = new Map<RateKind, LiveTally>();
  const update = async (kind: RateKind, key: string, perMinute: number, now: number, upsert: boolean) => {
    const r = (await m.RateBucket.findOneAndUpdate(bucketFilter(kind, key), bucketSpendPipeline(perMinute, now), { upsert, returnDocument: 'after', lean: true, updatePipeline: true })) as
      { spent: boolean; tokens: number } | null;
    return r ? { spent: r.spent, tokens: r.tokens } : null;
  };
  return {
    spend: async (kind, key, perMinute, maxKeys, now) => {
      const known = await update(kind, key, perMinute, now, false);
      if (known) return known;
      let tally = tallies.get(kind);
      let room = roomByTally(tally, now, maxKeys);
      if (room === 'count') {
        tallies.set(kind, (tally = { at: now, n: await m.RateBucket.countDocuments(liveBucketsFilter(kind, now)) }));
        room = roomByTally(tally, now, maxKeys);
      }
      if (room === 'full') return null;
      try {
        const made = await update(kind, key, perMinute, now, true);
        tally!.n++;
        return made;
      } catch (e) {
        // Two processes upserted the same new key: the loser spends from the bucket the winner made.
        if (!isDuplicateOn(e, { kind: 1, key: 1 })) throw e;
        return update(kind, key, perMinute, now, false);
      }
    },
    refund: async (kind, key, perMinute) => {
      await m.RateBucket.updateOne(bucketFilter(kind, key), bucketRefundPipeline(perMinute), { updatePipeline: true });
    },
    tell: async (kind, key, now) =>
      (await m.RateBucket.updateOne(untoldBucketFilter(bucketFilter(kind, key), now), bucketToldUpdate(now + BUCKET_MS))).modifiedCount === 1,
    live: async (kind, now) => m.RateBucket.countDocuments(liveBucketsFilter(kind, now)),
    prune: async (now) => (await m.RateBucket.deleteMany(idleBucketsFilter(now))).deletedCount,
  };
}
