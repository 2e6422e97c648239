import { Schema, type Connection } from 'mongoose';
import type { RateBucketRepo, RateKind } from '../port.js';
import { idleBucketsFilter, trusted, untoldBucketFilter } from './filters.js';
import { bucketRefundPipeline, bucketToldUpdate } from './updates.js';
import { isDuplicateOn } from './duplicate-key.js';

const MINUTE_MS = 60_000;

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

/** The bucket's identity: equality on plain strings, so a key never acts as an operator. */
export function bucketFilter(kind: RateKind, key: string): { kind: string; key: string } {
  return { kind: String(kind), key: String(key) };
}

/**
 * The spend as an update pipeline: refill to `now` (a new bucket starts full), take a token if one is
 * there, remember whether it did, and push the expiry a minute past the last use. Checked with mingo.
 */
export function spendPipeline(perMinute: number, now: number): Record<string, unknown>[] {
  const cap = perMinute;
  const refilled = { $min: [cap, { $add: [{ $ifNull: ['$tokens', cap] }, { $multiply: [{ $max: [0, { $subtract: [now, { $ifNull: ['$at', now] }] }] }, cap / MINUTE_MS] }] }] };
  const at = { $max: [{ $ifNull: ['$at', now] }, now] };
  return [
    { $set: { refilled } },
    {
      $set: {
        spent: { $gte: ['$refilled', 1] },
        tokens: { $cond: [{ $gte: ['$refilled', 1] }, { $subtract: ['$refilled', 1] }, '$refilled'] },
        at, expiresAt: { $toDate: { $add: [at, MINUTE_MS] } }, toldUntil: { $ifNull: ['$toldUntil', 0] },
      },
    },
    { $unset: 'refilled' },
  ];
}

/** Buckets of a kind used in the last minute. */
export function liveFilter(kind: RateKind, now: number): Record<string, unknown> {
  return { kind: String(kind), at: trusted({ $gt: now - MINUTE_MS }) };
}

export function mongoRateBuckets(m: RateBucketModels): RateBucketRepo {
  const update = async (kind: RateKind, key: string, perMinute: number, now: number, upsert: boolean) => {
    const r = (await m.RateBucket.findOneAndUpdate(bucketFilter(kind, key), spendPipeline(perMinute, now), { upsert, returnDocument: 'after', lean: true, updatePipeline: true })) as
      { spent: boolean; tokens: number } | null;
    return r ? { spent: r.spent, tokens: r.tokens } : null;
  };
  return {
    spend: async (kind, key, perMinute, maxKeys, now) => {
      const known = await update(kind, key, perMinute, now, false);
      if (known) return known;
      if ((await m.RateBucket.countDocuments(liveFilter(kind, now))) >= maxKeys) return null;
      try {
        return await update(kind, key, perMinute, now, true);
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
      (await m.RateBucket.updateOne(untoldBucketFilter(bucketFilter(kind, key), now), bucketToldUpdate(now + MINUTE_MS))).modifiedCount === 1,
    live: async (kind, now) => m.RateBucket.countDocuments(liveFilter(kind, now)),
    prune: async (now) => (await m.RateBucket.deleteMany(idleBucketsFilter(now, MINUTE_MS))).deletedCount,
  };
}
