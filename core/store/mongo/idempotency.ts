import { Schema, type Connection } from 'mongoose';
import type { IdempotencyRepo } from '../port.js';
import { createdBeforeFilter, idempotencyKeyFilter, unfinishedKeyFilter } from './filters.js';
import { idempotencyFinishUpdate } from './updates.js';
import { d } from './codecs.js';
import { isDuplicateOn } from './duplicate-key.js';

const record = new Schema({
  tenant: String, identity: String, key: String, fingerprint: String, status: { type: Number, default: null },
  body: { type: Schema.Types.Mixed, default: null }, createdAt: Date,
}, { versionKey: false, minimize: false, strictQuery: 'throw' });
const RECORD_KEY = { tenant: 1, identity: 1, key: 1 } as const;
record.index(RECORD_KEY, { unique: true });
// A key answers for a day; the server removes older records by itself.
record.index({ createdAt: 1 }, { expireAfterSeconds: 86_400 });

export function idempotencyModels(conn: Connection) {
  return { Idempotency: conn.model('Idempotency', record, 'idempotency') };
}
export type IdempotencyModels = ReturnType<typeof idempotencyModels>;


/** Answers of requests sent with an `Idempotency-Key`; the unique index makes exactly one caller the one that runs. */
export function mongoIdempotency(m: IdempotencyModels, tenant: string): IdempotencyRepo {
  return {
    begin: async (identityIn, keyIn, fingerprint, now, expiredBefore) => {
      const [identity, key] = [String(identityIn), String(keyIn)];
      await m.Idempotency.deleteOne(idempotencyKeyFilter(tenant, identity, key, d(expiredBefore)));
      try {
        await m.Idempotency.create({ tenant, identity, key, fingerprint, status: null, body: null, createdAt: d(now) });
        return { state: 'new' };
      } catch (e) {
        if (!isDuplicateOn(e, RECORD_KEY)) throw e;
      }
      const r = await m.Idempotency.findOne(idempotencyKeyFilter(tenant, identity, key)).lean();
      if (!r) return { state: 'running' };
      if (r.fingerprint !== fingerprint) return { state: 'mismatch' };
      return r.status === null || r.status === undefined ? { state: 'running' } : { state: 'done', status: Number(r.status), body: r.body };
    },
    finish: async (identity, key, status, body) => {
      await m.Idempotency.updateOne(idempotencyKeyFilter(tenant, identity, key), idempotencyFinishUpdate(status, body));
    },
    abandon: async (identity, key) => {
      await m.Idempotency.deleteOne(unfinishedKeyFilter(tenant, identity, key));
    },
    prune: async (before) => (await m.Idempotency.deleteMany(createdBeforeFilter(tenant, d(before)))).deletedCount,
  };
}
