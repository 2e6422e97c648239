import mongoose, { type Connection } from 'mongoose';
import type { OutboxQueue, Store, SystemStore, TenantStore } from '../port.js';
import { type Models } from './models.js';
import { connectMongo } from './connect.js';
import { MAJORITY, replicaSetProblem, TRANSACTION_CONCERNS, type HelloReply } from './replica-set.js';
import type { Txn } from './ledger.js';
import type { InboxQueue, RateBucketRepo, SubscriptionRepo } from '../port.js';
import { mongoSubscriptions, watchEventLog, type EventModels } from './event-log.js';
import { mongoRateBuckets, type RateBucketModels } from './rate-buckets.js';
import { mongoInbox, type InboxModels } from './inbox.js';
import { isDuplicateOn } from './duplicate-key.js';
import { releasedTickFilter, seenBeforeFilter } from './filters.js';
import { tickClaimUpdate, tickReleaseUpdate } from './updates.js';
import { d, type Doc } from './codecs.js';
import { mongoOutboxQueue } from './outbox.js';
import { mongoTenant } from './tenant.js';
import { probeWrite } from './write-probe.js';
import { ensureMongoDocIndexes } from './doc-indexes.js';
import { mongoFirstSeen } from './first-seen.js';

class MongoSystem implements SystemStore {
  readonly outbox: OutboxQueue;
  readonly rateBuckets: RateBucketRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly inbox: InboxQueue;

  constructor(private readonly m: Models, private readonly trust: EventModels & RateBucketModels & InboxModels) {
    this.outbox = mongoOutboxQueue(m);
    this.rateBuckets = mongoRateBuckets(trust);
    this.subscriptions = mongoSubscriptions(trust, m.Counter);
    this.inbox = mongoInbox(trust);
  }

  watchEvents(onAppend: () => void): () => Promise<void> {
    return watchEventLog(this.trust, onAppend);
  }

  private seen: ((key: string, now: string) => Promise<boolean>) | null = null;

  async firstSeen(key: string, now: string): Promise<boolean> {
    return (this.seen ??= mongoFirstSeen(this.m.EventSeen))(key, now);
  }

  async claimTick(job: string, tick: string, holder: string, now: string): Promise<boolean> {
    try {
      await new this.m.JobTick({ job: String(job), tick: String(tick), holder: String(holder), at: d(now) }).save({ w: MAJORITY.w });
      return true;
    } catch (e) {
      if (isDuplicateOn(e, { job: 1, tick: 1 })) return false;
      throw e;
    }
  }

  async lastTick(job: string): Promise<string | null> {
    const r = (await this.m.JobTick.findOne({ job: String(job) }).sort({ tick: -1 }).lean()) as Doc | null;
    return r ? String(r.tick) : null;
  }

  async releaseTick(job: string, tick: string, holder: string): Promise<boolean> {
    return (await this.m.JobTick.updateOne({ job: String(job), tick: String(tick), holder: String(holder) }, tickReleaseUpdate(), { writeConcern: MAJORITY })).modifiedCount === 1;
  }

  async claimReleasedTick(job: string, holder: string, now: string): Promise<string | null> {
    const r = (await this.m.JobTick.findOneAndUpdate(releasedTickFilter(job), tickClaimUpdate(holder, now), { sort: { tick: 1 }, returnDocument: 'after', writeConcern: MAJORITY }).lean()) as Doc | null;
    return r ? String(r.tick) : null;
  }

  async pruneSeen(before: string): Promise<number> {
    return (await this.m.EventSeen.deleteMany(seenBeforeFilter(d(before)))).deletedCount;
  }
}


/** Every multi-document write is one majority transaction; `openMongoStore` has refused servers without them. */
const transactionRunner = (conn: Connection): Txn => (fn) => conn.transaction((session) => fn(session), TRANSACTION_CONCERNS);

/** Opens the engine: refuses a standalone server, then creates missing indexes (never drops any; `npm run db:migrate` does). */
export async function openMongoStore(uri: string): Promise<Store> {
  const { conn, models, trust } = await connectMongo(uri);
  const hello = (await conn.db!.admin().command({ hello: 1 })) as HelloReply;
  const problem = replicaSetProblem(hello);
  if (problem) {
    await conn.close();
    throw new Error(problem);
  }
  await Promise.all([...Object.values(models), ...Object.values(trust)].map((m) => (m as mongoose.Model<any>).createIndexes()));
  const txn = transactionRunner(conn);
  const system = new MongoSystem(models, trust);
  const tenants = new Map<string, TenantStore>();
  return {
    kind: 'mongo',
    system,
    tenant(id) {
      let t = tenants.get(id);
      if (!t) tenants.set(id, (t = mongoTenant(models, txn, id, trust)));
      return t;
    },
    async verify() {
      const problems: string[] = [];
      for (const m of Object.values(models) as mongoose.Model<any>[]) {
        const r = (await conn.db!.command({ validate: m.collection.collectionName })) as { valid: boolean; errors?: string[] };
        if (!r.valid) problems.push(`${m.collection.collectionName}: ${(r.errors ?? []).join('; ')}`);
      }
      return problems;
    },
    ensureDocIndexes: (plugin, collection, indexes) => ensureMongoDocIndexes(models, plugin, collection, indexes),
    async probeWrite(now) {
      await probeWrite(trust, now);
    },
    async close() {
      await conn.close();
    },
  };
}
