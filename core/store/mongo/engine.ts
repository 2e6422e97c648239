import mongoose, { type Connection } from 'mongoose';
import type {
  AnalyticsRepo, BulkRepo, CaseRepo, ErasureRepo, CustomerRepo, DealRepo, DocCollection, IdentityRepo, InteractionRepo, Ledger,
  OutboxQueue, OutboxRepo, SpendRepo, Store, SystemStore, TenantStore,
} from '../port.js';
import { type Models } from './models.js';
import { connectMongo } from './connect.js';
import { MAJORITY, replicaSetProblem, TRANSACTION_CONCERNS, type HelloReply } from './replica-set.js';
import { mongoLedger, type Txn } from './ledger.js';
import { mongoBulk } from './bulk.js';
import { mongoWebAccess, type WebAccessModels } from './web-access.js';
import { mongoIdempotency, type IdempotencyModels } from './idempotency.js';
import type { EventLogRepo, IdempotencyRepo, InboxQueue, RateBucketRepo, SubscriptionRepo, WebAccessRepo } from '../port.js';
import { mongoEventLog, mongoSubscriptions, watchEventLog, type EventModels } from './event-log.js';
import { mongoRateBuckets, type RateBucketModels } from './rate-buckets.js';
import { mongoInbox, type InboxModels } from './inbox.js';
import { mongoErasure } from './erasure.js';
import { isDuplicateOn } from './duplicate-key.js';
import { trusted } from './filters.js';
import { d, toCase, toCustomer, toDeal, toInteraction, type Doc } from './codecs.js';
import { scopeOf, type Scope } from './scope.js';
import { mongoCustomers } from './customers.js';
import { mongoIdentities } from './identities.js';
import { mongoInteractions } from './interactions.js';
import { mongoDeals } from './deals.js';
import { mongoCases } from './cases.js';
import { mongoAnalytics } from './analytics.js';
import { mongoSpend } from './spend.js';
import { mongoOutbox, mongoOutboxQueue } from './outbox.js';
import { mongoDocs } from './docs.js';
import { mongoFirstSeen } from './first-seen.js';

/** The Mongo engine's composition: one tenant's repositories wired over the shared models (each in its own file). */

class MongoTenant implements TenantStore {
  readonly bulk: BulkRepo;
  readonly webAccess: WebAccessRepo;
  readonly idempotency: IdempotencyRepo;
  readonly erasure: ErasureRepo;
  readonly events: EventLogRepo;

  constructor(private readonly m: Models, private readonly txn: Txn, readonly tenant: string, trust: WebAccessModels & IdempotencyModels & EventModels) {
    this.events = mongoEventLog(trust, m.Counter, txn, tenant);
    this.bulk = mongoBulk(m, txn, tenant, { customers: toCustomer, interactions: toInteraction, deals: toDeal, cases: toCase });
    this.webAccess = mongoWebAccess(trust, tenant);
    this.idempotency = mongoIdempotency(trust, tenant);
    this.erasure = mongoErasure(m, txn, tenant);
    const scope = (this.scope = scopeOf(m, txn, tenant, trust));
    this.customers = mongoCustomers(scope);
    this.identities = mongoIdentities(scope);
    this.interactions = mongoInteractions(scope);
    this.deals = mongoDeals(scope);
    this.cases = mongoCases(scope);
    this.analytics = mongoAnalytics(scope);
    this.spend = mongoSpend(scope);
    this.outbox = mongoOutbox(scope);
  }

  readonly customers: CustomerRepo;
  readonly identities: IdentityRepo;
  readonly interactions: InteractionRepo;
  readonly deals: DealRepo;
  readonly cases: CaseRepo;
  readonly analytics: AnalyticsRepo;
  readonly spend: SpendRepo;
  readonly outbox: OutboxRepo;
  private readonly scope: Scope;

  ledger(plugin: string, name: string): Ledger {
    return mongoLedger(this.m, this.txn, this.tenant, plugin, name);
  }

  docs<T extends { id: string }>(plugin: string, collection: string): DocCollection<T> {
    return mongoDocs<T>(this.scope, plugin, collection);
  }
}

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
    return (await this.m.JobTick.updateOne({ job: String(job), tick: String(tick), holder: String(holder) }, { $set: { holder: '' } }, { writeConcern: MAJORITY })).modifiedCount === 1;
  }

  async claimReleasedTick(job: string, holder: string, now: string): Promise<string | null> {
    const r = (await this.m.JobTick.findOneAndUpdate({ job: String(job), holder: '' }, { $set: { holder: String(holder), at: d(now) } }, { sort: { tick: 1 }, returnDocument: 'after', writeConcern: MAJORITY }).lean()) as Doc | null;
    return r ? String(r.tick) : null;
  }

  async pruneSeen(before: string): Promise<number> {
    return (await this.m.EventSeen.deleteMany({ at: trusted({ $lt: d(before) }) })).deletedCount;
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
  const tenants = new Map<string, MongoTenant>();
  return {
    kind: 'mongo',
    system,
    tenant(id) {
      let t = tenants.get(id);
      if (!t) tenants.set(id, (t = new MongoTenant(models, txn, id, trust)));
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
    async probeWrite(now) {
      await trust.StoreProbe.updateOne({ _id: 'probe' }, { $set: { at: new Date(now) } }, { upsert: true });
    },
    async close() {
      await conn.close();
    },
  };
}
