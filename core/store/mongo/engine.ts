import mongoose, { type ClientSession, type Connection } from 'mongoose';
import type { Case, Customer, Deal, IdentityLink, Interaction, MergeRecord, Platform } from '../../domain/types.js';
import type {
  AnalyticsRepo, BulkRepo, CaseRepo, ErasureRepo, CustomerRepo, DealRepo, DocCollection, IdentityRepo, InteractionRepo, Ledger, OutboxItem,
  OutboxQueue, OutboxRepo, RfmRow, SpendRepo, StageTotal, Store, SystemStore, TenantStore, Where,
} from '../port.js';
import { type Models } from './models.js';
import { connectMongo } from './connect.js';
import { replicaSetProblem, TRANSACTION_CONCERNS, type HelloReply } from './replica-set.js';
import { closedSincePipeline, pipelineByStage, rfmPipeline } from './pipelines.js';
import { assertFieldName, cleanWhere } from '../where.js';
import { mongoLedger, type Txn } from './ledger.js';
import { mongoBulk } from './bulk.js';
import { mongoWebAccess, type WebAccessModels } from './web-access.js';
import { mongoIdempotency, type IdempotencyModels } from './idempotency.js';
import type { IdempotencyRepo, WebAccessRepo } from '../port.js';
import { mongoErasure } from './erasure.js';
import { isDuplicateOn } from './duplicate-key.js';
import { MAJORITY } from './replica-set.js';
import * as digest from './digest-pipelines.js';
import { messageFields } from '../../domain/message-change.js';
import { messageChangeFilter, messageChangeUpdate } from './message-change.js';
import { claimableFilter, customerSearchFilter, docPatch, docUpdateFilter, trusted } from './filters.js';

type Doc = Record<string, unknown>;
const d = (iso: string) => new Date(iso);
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
const isoOrNull = (v: unknown): string | null => (v == null ? null : iso(v));

function strip(doc: Doc): Doc {
  const { _id, ...rest } = doc;
  void _id;
  return rest;
}

function toCustomer(x: Doc): Customer {
  const { nameLc, ...r } = strip(x);
  void nameLc;
  return { ...(r as unknown as Customer), createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
}
const toIdentity = (x: Doc): IdentityLink => {
  const r = strip(x);
  return { ...(r as unknown as IdentityLink), lastSeenAt: iso(r.lastSeenAt), createdAt: iso(r.createdAt) };
};
const toInteraction = (x: Doc): Interaction => {
  const r = strip(x);
  const { messageId, edits, deleted, ...rest } = r as unknown as Interaction;
  return { ...rest, occurredAt: iso(r.occurredAt), ...messageFields(messageId, edits, deleted) };
};
const toDeal = (x: Doc): Deal => {
  const r = strip(x);
  return { ...(r as unknown as Deal), closedAt: isoOrNull(r.closedAt), createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
};
const toCase = (x: Doc): Case => {
  const r = strip(x);
  return {
    ...(r as unknown as Case), dueAt: isoOrNull(r.dueAt), openedAt: iso(r.openedAt), closedAt: isoOrNull(r.closedAt),
    closedBy: (r.closedBy as string) ?? null, resolution: (r.resolution as string) ?? null, firstResponseAt: isoOrNull(r.firstResponseAt),
  };
};
const toMerge = (x: Doc): MergeRecord => {
  const r = strip(x);
  return { ...(r as unknown as MergeRecord), at: iso(r.at), undoneAt: isoOrNull(r.undoneAt) };
};
const toOutbox = (x: Doc): OutboxItem => {
  const r = strip(x);
  return {
    ...(r as unknown as OutboxItem), nextAttemptAt: iso(r.nextAttemptAt), leaseUntil: isoOrNull(r.leaseUntil),
    createdAt: iso(r.createdAt), sentAt: isoOrNull(r.sentAt),
  };
};

class MongoTenant implements TenantStore {
  readonly bulk: BulkRepo;
  readonly webAccess: WebAccessRepo;
  readonly idempotency: IdempotencyRepo;
  readonly erasure: ErasureRepo;

  constructor(private readonly m: Models, private readonly txn: Txn, readonly tenant: string, trust: WebAccessModels & IdempotencyModels) {
    this.bulk = mongoBulk(m, txn, tenant, { customers: toCustomer, interactions: toInteraction, deals: toDeal, cases: toCase });
    this.webAccess = mongoWebAccess(trust, tenant);
    this.idempotency = mongoIdempotency(trust, tenant);
    this.erasure = mongoErasure(m, txn, tenant);
  }

  private async nextId(name: string, tenant = this.tenant): Promise<number> {
    const r = await this.m.Counter.findOneAndUpdate({ tenant, name }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after', lean: true });
    return (r as unknown as { value: number }).value;
  }

  readonly customers: CustomerRepo = {
    create: async (input, now) => {
      const id = await this.nextId('customer');
      const doc = {
        tenant: this.tenant, id, name: input.name, nameLc: input.name.toLowerCase(), company: input.company ?? null,
        emails: input.emails ?? [], phones: input.phones ?? [], tags: input.tags ?? [], owner: input.owner ?? null,
        lifecycle: input.lifecycle ?? 'lead', consent: { marketing: false, surveys: true, updatedAt: now }, mergedInto: null,
        createdAt: d(now), updatedAt: d(now),
      };
      await this.m.Customer.create(doc);
      return toCustomer(doc);
    },
    get: async (id) => {
      const r = await this.m.Customer.findOne({ tenant: this.tenant, id }).lean();
      return r ? toCustomer(r as Doc) : null;
    },
    findByName: async (name) =>
      ((await this.m.Customer.find({ tenant: this.tenant, nameLc: String(name).toLowerCase(), mergedInto: null }).sort({ id: 1 }).lean()) as Doc[]).map(toCustomer),
    search: async (text, limit) => {
      const rows = await this.m.Customer.find(customerSearchFilter(this.tenant, text))
        .sort({ id: 1 }).limit(limit).lean();
      return (rows as Doc[]).map(toCustomer);
    },
    update: async (id, patch, now) => {
      const set: Doc = { ...patch, updatedAt: d(now) };
      if (patch.name !== undefined) set.nameLc = patch.name.toLowerCase();
      const r = await this.m.Customer.findOneAndUpdate({ tenant: this.tenant, id }, { $set: set }, { returnDocument: 'after', lean: true });
      return r ? toCustomer(r as Doc) : null;
    },
    count: async () => this.m.Customer.countDocuments({ tenant: this.tenant, mergedInto: null }),
    page: async (afterId, limit) =>
      ((await this.m.Customer.find({ tenant: this.tenant, id: trusted({ $gt: Number(afterId) }), mergedInto: null }).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map(toCustomer),
    countCreatedBetween: async (from, to) => this.m.Customer.countDocuments({ tenant: this.tenant, mergedInto: null, createdAt: trusted({ $gte: d(from), $lt: d(to) }) }),
    merge: async (fromId, intoId, by, now) =>
      this.txn(async (session) => {
        const t = this.tenant;
        const pick = async (model: mongoose.Model<any>, key: string) =>
          ((await model.find({ tenant: t, customerId: fromId }, { [key]: 1 }).session(session ?? null).lean()) as Doc[]).map((x) => x[key]);
        const identities = (await pick(this.m.Identity, 'identity')) as string[];
        const interactionIds = (await pick(this.m.Interaction, 'id')) as number[];
        const dealIds = (await pick(this.m.Deal, 'id')) as number[];
        for (const model of [this.m.Identity, this.m.Interaction, this.m.Deal, this.m.Case] as mongoose.Model<any>[]) {
          await model.updateMany({ tenant: t, customerId: fromId }, { $set: { customerId: intoId } }, { session });
        }
        await this.m.Customer.updateOne({ tenant: t, id: fromId }, { $set: { mergedInto: intoId, updatedAt: d(now) } }, { session });
        const id = await this.nextId('merge');
        const doc = { tenant: t, id, fromId, intoId, identities, interactionIds, dealIds, by, at: d(now), undoneAt: null };
        await this.m.Merge.create([doc], { session });
        return toMerge(doc);
      }),
    unmerge: async (mergeId, now) =>
      this.txn(async (session) => {
        const t = this.tenant;
        const row = await this.m.Merge.findOneAndUpdate({ tenant: t, id: mergeId, undoneAt: null }, { $set: { undoneAt: d(now) } }, { returnDocument: 'after', lean: true, session });
        if (!row) return null;
        const mr = toMerge(row as Doc);
        await this.m.Identity.updateMany({ tenant: t, identity: trusted({ $in: mr.identities }) }, { $set: { customerId: mr.fromId } }, { session });
        await this.m.Interaction.updateMany({ tenant: t, id: trusted({ $in: mr.interactionIds }) }, { $set: { customerId: mr.fromId } }, { session });
        await this.m.Deal.updateMany({ tenant: t, id: trusted({ $in: mr.dealIds }) }, { $set: { customerId: mr.fromId } }, { session });
        await this.m.Customer.updateOne({ tenant: t, id: mr.fromId }, { $set: { mergedInto: null, updatedAt: d(now) } }, { session });
        return mr;
      }),
    anonymise: async (id, now) =>
      this.txn(async (session) => {
        const t = this.tenant;
        const res = await this.m.Customer.updateOne({ tenant: t, id }, {
          $set: { name: `Erased C-${id}`, nameLc: `erased c-${id}`, company: null, emails: [], phones: [], tags: [], consent: { marketing: false, surveys: false, updatedAt: now }, updatedAt: d(now) },
        }, { session });
        if (res.matchedCount === 0) return false;
        await this.m.Interaction.updateMany({ tenant: t, customerId: id }, { $set: { text: '', identity: null, edits: [] } }, { session });
        await this.m.Identity.deleteMany({ tenant: t, customerId: id }, { session });
        await this.m.Case.updateMany({ tenant: t, customerId: id }, { $set: { summary: '' } }, { session });
        return true;
      }),
  };

  readonly identities: IdentityRepo = {
    get: async (identity) => {
      const r = await this.m.Identity.findOne({ tenant: this.tenant, identity: String(identity) }).lean();
      return r ? toIdentity(r as Doc) : null;
    },
    touch: async (input, now) => {
      const set: Doc = { displayName: input.displayName, lastSeenAt: d(now), reachable: true };
      if (input.locale) set.locale = input.locale;
      // The platform's zone only fills a gap: a zone the person set stays.
      if (input.timezone) await this.m.Identity.updateOne({ tenant: this.tenant, identity: input.identity, timezone: null }, { $set: { timezone: input.timezone } });
      const r = await this.m.Identity.findOneAndUpdate(
        { tenant: this.tenant, identity: input.identity },
        {
          $set: set,
          $setOnInsert: {
            platform: input.platform, role: input.role, customerId: input.customerId, verified: true,
            ...(input.locale ? {} : { locale: null }), timezone: input.timezone ?? null, createdAt: d(now),
          },
        },
        { upsert: true, returnDocument: 'after', lean: true },
      );
      return toIdentity(r as Doc);
    },
    setRole: async (identity, role) => {
      const r = await this.m.Identity.findOneAndUpdate({ tenant: this.tenant, identity }, { $set: { role } }, { returnDocument: 'after', lean: true });
      return r ? toIdentity(r as Doc) : null;
    },
    attach: async (identity, customerId) => {
      const r = await this.m.Identity.findOneAndUpdate({ tenant: this.tenant, identity }, { $set: { customerId } }, { returnDocument: 'after', lean: true });
      return r ? toIdentity(r as Doc) : null;
    },
    setTimezone: async (identity, timezone) => {
      const r = await this.m.Identity.findOneAndUpdate({ tenant: this.tenant, identity }, { $set: { timezone } }, { returnDocument: 'after', lean: true });
      return r ? toIdentity(r as Doc) : null;
    },
    setReachable: async (identity, reachable) => {
      await this.m.Identity.updateOne({ tenant: this.tenant, identity }, { $set: { reachable } });
    },
    listForCustomer: async (customerId) =>
      ((await this.m.Identity.find({ tenant: this.tenant, customerId }).sort({ identity: 1 }).lean()) as Doc[]).map(toIdentity),
  };

  readonly interactions: InteractionRepo = {
    add: async (input) => {
      if (input.sourceEventId) {
        const existing = await this.m.Interaction.findOne({ tenant: this.tenant, sourceEventId: input.sourceEventId }).lean();
        if (existing) return { interaction: toInteraction(existing as Doc), created: false };
      }
      const id = await this.nextId('interaction');
      try {
        await this.m.Interaction.create({ ...input, tenant: this.tenant, id, occurredAt: d(input.occurredAt) });
      } catch (e) {
        if (!input.sourceEventId || !isDuplicateOn(e, { tenant: 1, sourceEventId: 1 })) throw e;
        const existing = await this.m.Interaction.findOne({ tenant: this.tenant, sourceEventId: input.sourceEventId }).lean();
        return { interaction: toInteraction(existing as Doc), created: false };
      }
      return { interaction: { ...input, tenant: this.tenant, id }, created: true };
    },
    listForCustomer: async (customerId, limit) =>
      ((await this.m.Interaction.find({ tenant: this.tenant, customerId }).sort({ occurredAt: -1, id: -1 }).limit(limit).lean()) as Doc[]).map(toInteraction),
    countByType: async (customerId) => {
      const rows = (await this.m.Interaction.aggregate([
        { $match: { tenant: this.tenant, customerId } },
        { $group: { _id: '$type', n: { $sum: 1 } } },
      ])) as { _id: string; n: number }[];
      return Object.fromEntries(rows.map((r) => [r._id, r.n]));
    },
    applyMessageChange: async (messageId, change) =>
      (await this.m.Interaction.updateMany(messageChangeFilter(this.tenant, messageId), messageChangeUpdate(change) as any[], { updatePipeline: true })).modifiedCount,
    withdraw: async (sourceEventId) =>
      (await this.m.Interaction.deleteOne({ tenant: this.tenant, sourceEventId: String(sourceEventId) })).deletedCount > 0,
  };

  readonly deals: DealRepo = {
    create: async (input, by, now) => {
      const id = await this.nextId('deal');
      const doc = {
        ...input, tenant: this.tenant, id, closedAt: null, lostReason: null, history: [{ stage: input.stage, at: now, by }],
        createdAt: d(now), updatedAt: d(now),
      };
      await this.m.Deal.create(doc);
      return toDeal(doc);
    },
    get: async (id) => {
      const r = await this.m.Deal.findOne({ tenant: this.tenant, id }).lean();
      return r ? toDeal(r as Doc) : null;
    },
    moveStage: async (id, change) => {
      const r = await this.m.Deal.findOneAndUpdate(
        { tenant: this.tenant, id },
        {
          $set: {
            stage: change.stage, probability: change.probability, updatedAt: d(change.at),
            closedAt: change.closed ? d(change.at) : null, lostReason: change.lostReason ?? null,
          },
          $push: { history: { stage: change.stage, at: change.at, by: change.by } },
        },
        { returnDocument: 'after', lean: true },
      );
      return r ? toDeal(r as Doc) : null;
    },
    list: async (filter, limit) => {
      const q: Doc = { tenant: this.tenant };
      if (filter.owner !== undefined) q.owner = String(filter.owner);
      if (filter.stage !== undefined) q.stage = String(filter.stage);
      if (filter.customerId !== undefined) q.customerId = Number(filter.customerId);
      if (filter.open !== undefined) q.closedAt = filter.open ? null : trusted({ $ne: null });
      return ((await this.m.Deal.find(q).sort({ id: -1 }).limit(limit).lean()) as Doc[]).map(toDeal);
    },
  };

  readonly cases: CaseRepo = {
    open: async (input, now) => {
      const id = await this.nextId('case');
      const doc = { ...input, tenant: this.tenant, id, status: 'open' as const, dueAt: input.dueAt ? d(input.dueAt) : null, openedAt: d(now), closedAt: null };
      await this.m.Case.create(doc);
      return toCase(doc);
    },
    close: async (id, now, resolved) => {
      const set = { status: 'closed', closedAt: d(now), closedBy: resolved?.by ?? null, resolution: resolved?.resolution ?? null };
      const r = await this.m.Case.findOneAndUpdate({ tenant: this.tenant, id, status: 'open' }, { $set: set }, { returnDocument: 'after', lean: true }) as Doc | null;
      if (!r || !resolved || r.firstResponseAt) return r ? toCase(r) : null;
      // The resolution is the first response when nobody answered before; only the closer reaches this line.
      await this.m.Case.updateOne({ tenant: this.tenant, id, firstResponseAt: null }, { $set: { firstResponseAt: d(now) } });
      return toCase({ ...r, firstResponseAt: d(now) });
    },
    listOpen: async (customerId) => {
      const q: Doc = { tenant: this.tenant, status: 'open' };
      if (customerId !== undefined) q.customerId = customerId;
      return ((await this.m.Case.find(q).sort({ id: 1 }).lean()) as Doc[]).map(toCase);
    },
    get: async (id) => {
      const r = (await this.m.Case.findOne({ tenant: this.tenant, id }).lean()) as Doc | null;
      return r ? toCase(r) : null;
    },
    respond: async (customerId, at) =>
      (await this.m.Case.updateMany(
        { tenant: this.tenant, customerId, status: 'open', firstResponseAt: null, openedAt: trusted({ $lte: d(at) }) },
        { $set: { firstResponseAt: d(at) } },
      )).modifiedCount,
    list: async (f, limit) => {
      const q: Doc = { tenant: this.tenant };
      if (f.customerId !== undefined) q.customerId = f.customerId;
      if (f.kind !== undefined) q.kind = String(f.kind);
      if (f.openedFrom !== undefined || f.openedTo !== undefined) {
        q.openedAt = trusted({ ...(f.openedFrom !== undefined ? { $gte: d(f.openedFrom) } : {}), ...(f.openedTo !== undefined ? { $lt: d(f.openedTo) } : {}) });
      }
      return ((await this.m.Case.find(q).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map(toCase);
    },
  };

  readonly analytics: AnalyticsRepo = {
    rfm: async (asOf, money) => (await this.m.Interaction.aggregate(rfmPipeline(this.tenant, d(asOf), money.currency, money.fx) as any[])) as RfmRow[],
    rfmFor: async (customerId, asOf, money) => {
      const rows = await this.analytics.rfm(asOf, money);
      return rows.find((r) => r.customerId === customerId) ?? null;
    },
    dealCurrencies: async () => ((await this.m.Deal.distinct('currency', { tenant: this.tenant })) as string[]).sort(),
    pipeline: async (currency) => (await this.m.Deal.aggregate(pipelineByStage(this.tenant, currency) as any[])) as StageTotal[],
    closedSince: async (since, currency) => {
      const [r] = (await this.m.Deal.aggregate(closedSincePipeline(this.tenant, currency, d(since)) as any[])) as Doc[];
      return r
        ? { won: Number(r.won), lost: Number(r.lost), wonTotalMinor: Number(r.wonTotalMinor), wonCycleDays: Number(r.wonCycleDays) }
        : { won: 0, lost: 0, wonTotalMinor: 0, wonCycleDays: 0 };
    },
    customersCreated: async (bounds, owner) => {
      const b = bounds.map(d);
      return digest.readCustomersCreated(await this.m.Customer.aggregate(digest.customersCreatedPipeline(this.tenant, b, owner) as any[]), b);
    },
    customerActivity: async (from, to, days, owner) =>
      digest.readCustomerActivity(await this.m.Interaction.aggregate(digest.customerActivityPipeline(this.tenant, digest.activityWindow(from, to, days), await this.book(owner)) as any[])),
    purchaseFacts: async (asOf, owner) =>
      digest.readPurchaseFacts(await this.m.Interaction.aggregate(digest.purchaseFactsPipeline(this.tenant, d(asOf), await this.book(owner)) as any[])),
    surveyScores: async (bounds, owner, survey) =>
      digest.readSurveyScores(await this.m.Interaction.aggregate(digest.surveyScoresPipeline(this.tenant, bounds.map(d), await this.book(owner), survey ?? null) as any[])),
    mentionDigest: async (bounds, owner) => {
      const b = bounds.map(d);
      return digest.readMentionDigest(await this.m.Interaction.aggregate(digest.mentionDigestPipeline(this.tenant, b, await this.book(owner)) as any[]), b);
    },
    closedPerBucket: async (bounds, currency, owner) => {
      const b = bounds.map(d);
      return digest.readClosedPerBucket(await this.m.Deal.aggregate(digest.closedPerBucketPipeline(this.tenant, b, currency, owner) as any[]), b);
    },
    openDeals: async (currency, owner) =>
      digest.readOpenDeals(await this.m.Deal.aggregate(digest.openDealsPipeline(this.tenant, currency, owner) as any[])),
  };

  /** The ids of the customers one rep owns (null: the whole company), so pipelines filter without a $lookup. */
  private async book(owner: string | null): Promise<number[] | null> {
    return owner === null ? null : ((await this.m.Customer.distinct('id', { tenant: this.tenant, owner: String(owner) })) as number[]);
  }

  readonly spend: SpendRepo = {
    record: async (month, amountMinor, currency, by, now) => {
      await this.m.Spend.create({ tenant: this.tenant, month, amountMinor, currency, by, at: d(now) });
    },
    total: async (fromMonth, toMonth) => {
      const [r] = (await this.m.Spend.aggregate([
        { $match: { tenant: this.tenant, month: { $gte: String(fromMonth), $lte: String(toMonth) } } },
        { $group: { _id: null, s: { $sum: '$amountMinor' } } },
      ])) as { s: number }[];
      return r?.s ?? 0;
    },
  };

  readonly outbox: OutboxRepo = {
    enqueue: async (input, now) => {
      if (await this.m.Outbox.exists({ tenant: this.tenant, idempotencyKey: input.idempotencyKey })) return false;
      const id = await this.nextId('outbox', '_system');
      try {
        await this.m.Outbox.create({
          id, tenant: this.tenant, platform: input.platform, target: input.target, reply: input.reply, status: 'pending',
          attempts: 0, nextAttemptAt: d(input.notBefore ?? now), idempotencyKey: input.idempotencyKey, createdAt: d(now),
        });
        return true;
      } catch (e) {
        // Only the idempotency key means "already queued"; a collision on the outbox id is a fault, never a dropped message.
        if (isDuplicateOn(e, { tenant: 1, idempotencyKey: 1 })) return false;
        throw e;
      }
    },
    delivered: async (target, limit) => {
      const rows = (await this.m.Outbox.find({ tenant: this.tenant, target: String(target), status: 'sent' }).sort({ sentAt: -1, id: -1 }).limit(limit).lean()) as Doc[];
      return rows.reverse().map(toOutbox);
    },
  };

  ledger(plugin: string, name: string): Ledger {
    return mongoLedger(this.m, this.txn, this.tenant, plugin, name);
  }

  docs<T extends { id: string }>(plugin: string, collection: string): DocCollection<T> {
    const Doc = this.m.PluginDoc;
    const base = { tenant: this.tenant, plugin, collection };
    const filter = (where: Where) =>
      ({ ...base, ...Object.fromEntries(Object.entries(cleanWhere(where)).map(([k, v]) => [`doc.${k}`, v])) });
    return {
      put: async (doc) => {
        await Doc.updateOne({ ...base, id: String(doc.id) }, { $set: { doc }, $inc: { version: 1 } }, { upsert: true });
      },
      insertIfAbsent: async (doc) => {
        const r = await Doc.updateOne({ ...base, id: String(doc.id) }, { $setOnInsert: { doc, version: 1 } }, { upsert: true });
        return r.upsertedCount === 1;
      },
      get: async (id) => {
        const r = (await Doc.findOne({ ...base, id: String(id) }).lean()) as Doc | null;
        return r ? (r.doc as T) : null;
      },
      find: async (where, o = {}) => {
        const sort: Record<string, 1 | -1> = o.orderBy ? { [`doc.${assertFieldName(o.orderBy)}`]: o.desc ? -1 : 1, id: 1 } : { id: 1 };
        const rows = (await Doc.find(filter(where)).sort(sort).limit(o.limit ?? 1000).lean()) as Doc[];
        return rows.map((r) => r.doc as T);
      },
      delete: async (id) => (await Doc.deleteOne({ ...base, id: String(id) })).deletedCount === 1,
      deleteWhere: async (where) => (await Doc.deleteMany(filter(where))).deletedCount,
      increment: async (id, field, by) => {
        const name = assertFieldName(field);
        const r = (await Doc.findOneAndUpdate({ ...base, id }, { $inc: { [`doc.${name}`]: by, version: 1 }, $setOnInsert: { 'doc.id': id } }, { upsert: true, new: true }).lean()) as Doc;
        return Number((r.doc as Record<string, unknown>)[name]);
      },
      updateIfPresent: async (id, patch) => {
        const set = Object.fromEntries(Object.entries(patch).map(([k, v]) => [`doc.${assertFieldName(k)}`, v ?? null]));
        const r = Object.keys(set).length ? await Doc.updateOne({ ...base, id }, { $set: set, $inc: { version: 1 } }) : { matchedCount: await Doc.countDocuments({ ...base, id }) };
        return r.matchedCount === 1;
      },
      getVersioned: async (id) => {
        const r = (await Doc.findOne({ ...base, id: String(id) }).lean()) as Doc | null;
        return r ? { doc: r.doc as T, version: Number(r.version ?? 0) } : null;
      },
      update: async (id, patch, opts = {}) => {
        const r = (await Doc.findOneAndUpdate(docUpdateFilter(base, String(id), opts.ifVersion), docPatch(patch), { returnDocument: 'after', lean: true })) as Doc | null;
        if (r) return { status: 'ok', version: Number(r.version) };
        const now = (await Doc.findOne({ ...base, id: String(id) }, { version: 1 }).lean()) as Doc | null;
        return now ? { status: 'conflict', version: Number(now.version ?? 0) } : { status: 'missing' };
      },
      count: async (where) => Doc.countDocuments(filter(where)),
      page: async (after, limit) =>
        ((await Doc.find({ ...base, id: trusted({ $gt: after === null ? '' : String(after) }) }).sort({ id: 1 }).limit(limit).lean()) as Doc[]).map((r) => r.doc as T),
    };
  }
}

class MongoSystem implements SystemStore {
  constructor(private readonly m: Models) {}

  async firstSeen(key: string, now: string): Promise<boolean> {
    try {
      await new this.m.EventSeen({ _id: String(key), at: d(now) }).save({ w: MAJORITY.w });
      return true;
    } catch (e) {
      if (isDuplicateOn(e, { _id: 1 })) return false;
      throw e;
    }
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

  readonly outbox: OutboxQueue = {
    claim: async (holder, now, leaseMs, limit, platforms) => {
      const until = new Date(Date.parse(now) + leaseMs);
      const due = claimableFilter(platforms.map(String), d(now));
      // A batch per round trip: pick candidates, lease those still claimable in one updateMany (each document's
      // update is atomic, so two workers never lease the same message), then read back what this lease got.
      const ids = ((await this.m.Outbox.find(due, { id: 1 }).sort({ nextAttemptAt: 1, id: 1 }).limit(limit).lean()) as Doc[]).map((r) => Number(r.id));
      if (!ids.length) return [];
      await this.m.Outbox.updateMany({ ...due, id: trusted({ $in: ids }) }, { $set: { leaseHolder: String(holder), leaseUntil: until }, $inc: { attempts: 1 } }, { writeConcern: MAJORITY });
      const mine = await this.m.Outbox.find({ id: trusted({ $in: ids }), leaseHolder: String(holder), leaseUntil: until }).sort({ nextAttemptAt: 1, id: 1 }).lean();
      return (mine as Doc[]).map(toOutbox);
    },
    markSent: async (id, holder, now) =>
      (await this.m.Outbox.updateOne({ id: Number(id), leaseHolder: String(holder), status: 'pending' }, { $set: { status: 'sent', sentAt: d(now), leaseHolder: null, leaseUntil: null } }, { writeConcern: MAJORITY })).modifiedCount === 1,
    retryAt: async (id, holder, at, error) =>
      (await this.m.Outbox.updateOne({ id: Number(id), leaseHolder: String(holder), status: 'pending' }, { $set: { nextAttemptAt: d(at), lastError: error, leaseHolder: null, leaseUntil: null } }, { writeConcern: MAJORITY })).modifiedCount === 1,
    postpone: async (id, holder, at) =>
      (await this.m.Outbox.updateOne({ id: Number(id), leaseHolder: String(holder), status: 'pending' }, { $set: { nextAttemptAt: d(at), leaseHolder: null, leaseUntil: null }, $inc: { attempts: -1 } }, { writeConcern: MAJORITY })).modifiedCount === 1,
    markDead: async (id, holder, error) =>
      (await this.m.Outbox.updateOne({ id: Number(id), leaseHolder: String(holder), status: 'pending' }, { $set: { status: 'dead', lastError: error, leaseHolder: null, leaseUntil: null } }, { writeConcern: MAJORITY })).modifiedCount === 1,
    release: async (holder) =>
      (await this.m.Outbox.updateMany({ leaseHolder: String(holder), status: 'pending' }, { $set: { leaseHolder: null, leaseUntil: null }, $inc: { attempts: -1 } }, { writeConcern: MAJORITY })).modifiedCount,
    depth: async () => {
      const rows = (await this.m.Outbox.aggregate([{ $match: { status: 'pending' } }, { $group: { _id: '$platform', n: { $sum: 1 } } }])) as { _id: Platform; n: number }[];
      return Object.fromEntries(rows.map((r) => [r._id, r.n]));
    },
  };
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
  const system = new MongoSystem(models);
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
