import mongoose from 'mongoose';
import { defineModels } from './models.js';
import { webAccessModels } from './web-access.js';
import { idempotencyModels } from './idempotency.js';
import { eventModels } from './event-log.js';
import { rateBucketModels } from './rate-buckets.js';
import { inboxModels } from './inbox.js';
import { writeProbeModels } from './write-probe.js';

/**
 * One connection with every model. Filters are sanitised (an operator object reaching a filter from
 * outside is compared as a value; the engine marks its own operators trusted) and unknown filter fields
 * throw (strictQuery on every schema). Collections and indexes are never created implicitly.
 */
export async function connectMongo(uri: string) {
  const conn = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoCreate: false, autoIndex: false }).asPromise();
  conn.set('sanitizeFilter', true);
  return { conn, models: defineModels(conn), trust: { ...webAccessModels(conn), ...idempotencyModels(conn), ...eventModels(conn), ...rateBucketModels(conn), ...inboxModels(conn), ...writeProbeModels(conn) } };
}

/** `npm run db:migrate`: makes the server's indexes exactly the declared ones, dropping the rest (run it on purpose, not at every start). */
export async function syncMongoIndexes(uri: string): Promise<string[]> {
  const { conn, models, trust } = await connectMongo(uri);
  try {
    const dropped: string[] = [];
    for (const m of [...Object.values(models), ...Object.values(trust)] as mongoose.Model<any>[]) {
      for (const name of await m.syncIndexes()) dropped.push(`${m.collection.collectionName}.${name}`);
    }
    return dropped;
  } finally {
    await conn.close();
  }
}
