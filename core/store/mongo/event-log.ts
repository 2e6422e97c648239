import { Schema, type ClientSession, type Connection } from 'mongoose';
import type { EventLogRepo, LoggedEvent, NewEvent, SubscriptionRepo, SubscriptionState } from '../port.js';
import type { Models } from './models.js';
import type { Txn } from './ledger.js';
import {
  claimableSubscriptionFilter, counterFilter, eventsAfterFilter, parkedSubscriptionFilter, subscriptionFilter, subscriptionHeldFilter, subscriptionListFilter,
} from './filters.js';
import { eventLogWatchPipeline } from './pipelines.js';
import {
  counterIncUpdate, subscriptionAdvanceUpdate, subscriptionFailUpdate, subscriptionLeaseUpdate, subscriptionReleaseUpdate, subscriptionRetryUpdate,
  subscriptionSeedUpdate, subscriptionSkipPipeline,
} from './updates.js';
import { d, isoOrNull } from './codecs.js';

const logged = new Schema({ tenant: String, position: Number, name: String, payload: Schema.Types.Mixed, at: Date }, { versionKey: false, minimize: false, strictQuery: 'throw' });
logged.index({ tenant: 1, position: 1 }, { unique: true });
logged.index({ tenant: 1, name: 1, position: 1 });

const subscription = new Schema({
  name: String, tenant: String, position: { type: Number, default: 0 }, attempts: { type: Number, default: 0 },
  nextAttemptAt: { type: Date, default: null }, failedPosition: { type: Number, default: null }, lastError: { type: String, default: null },
  parkedAt: { type: Date, default: null }, leaseHolder: { type: String, default: null }, leaseUntil: { type: Date, default: null },
}, { versionKey: false, strictQuery: 'throw' });
subscription.index({ name: 1, tenant: 1 }, { unique: true });

export function eventModels(conn: Connection) {
  return {
    EventLog: conn.model('EventLog', logged, 'event_log'),
    Subscription: conn.model('EventSubscription', subscription, 'event_subscriptions'),
  };
}
export type EventModels = ReturnType<typeof eventModels>;

type Doc = Record<string, any>;

const toEvent = (r: Doc): LoggedEvent => ({ tenant: r.tenant, position: r.position, name: r.name, payload: r.payload, at: (r.at as Date).toISOString() });
const toState = (r: Doc): SubscriptionState => ({
  name: r.name, tenant: r.tenant, position: r.position, attempts: r.attempts, nextAttemptAt: isoOrNull(r.nextAttemptAt),
  failedPosition: r.failedPosition ?? null, lastError: r.lastError ?? null, parkedAt: isoOrNull(r.parkedAt),
  leaseHolder: r.leaseHolder ?? null, leaseUntil: isoOrNull(r.leaseUntil),
});

/**
 * Appends to the tenant's log in the caller's session, so the events commit with the fact's transaction. The
 * positions are taken together (one counter step for all) and the events inserted in one write.
 */
export async function appendMongoEvents(
  m: EventModels, counters: Models['Counter'], tenant: string, events: NewEvent[], session: ClientSession | undefined,
): Promise<LoggedEvent[]> {
  if (!events.length) return [];
  const at = new Date();
  const c = (await counters.findOneAndUpdate(counterFilter(tenant, 'event'), counterIncUpdate(events.length), { upsert: true, returnDocument: 'after', lean: true, session })) as unknown as { value: number };
  const first = c.value - events.length + 1;
  const docs = events.map((e, i) => ({ tenant, position: first + i, name: e.name, payload: e.payload, at }));
  await m.EventLog.insertMany(docs, { session });
  return docs.map(toEvent);
}

export function mongoEventLog(m: EventModels, counters: Models['Counter'], txn: Txn, tenant: string): EventLogRepo {
  return {
    append: async (events) => txn((session) => appendMongoEvents(m, counters, tenant, events, session)),
    after: async (position, names, limit) =>
      ((await m.EventLog.find(eventsAfterFilter(tenant, position, names)).sort({ position: 1 }).limit(limit).lean()) as Doc[]).map(toEvent),
    head: async () => ((await counters.findOne(counterFilter(tenant, 'event')).lean()) as Doc | null)?.value ?? 0,
  };
}

export function mongoSubscriptions(m: EventModels, counters: Models['Counter']): SubscriptionRepo {
  return {
    tenants: async () => ((await counters.find({ name: 'event' }).sort({ tenant: 1 }).lean()) as Doc[]).map((r) => String(r.tenant)),
    claim: async (name, tenant, holder, now, leaseMs) => {
      await m.Subscription.updateOne(subscriptionFilter(name, tenant), subscriptionSeedUpdate(name, tenant), { upsert: true });
      const r = await m.Subscription.findOneAndUpdate(claimableSubscriptionFilter(name, tenant, holder, d(now)),
        subscriptionLeaseUpdate(holder, new Date(Date.parse(now) + leaseMs)), { returnDocument: 'after', lean: true });
      return r ? toState(r as Doc) : null;
    },
    advance: async (name, tenant, holder, position) =>
      (await m.Subscription.updateOne(subscriptionHeldFilter(name, tenant, holder), subscriptionAdvanceUpdate(position))).modifiedCount === 1,
    fail: async (name, tenant, holder, f) =>
      (await m.Subscription.updateOne(subscriptionHeldFilter(name, tenant, holder), subscriptionFailUpdate(f))).modifiedCount === 1,
    release: async (name, tenant, holder) =>
      (await m.Subscription.updateOne(subscriptionHeldFilter(name, tenant, holder), subscriptionReleaseUpdate())).modifiedCount === 1,
    list: async (filter) => ((await m.Subscription.find(subscriptionListFilter(filter.parked)).sort({ tenant: 1, name: 1 }).lean()) as Doc[]).map(toState),
    retry: async (name, tenant) =>
      (await m.Subscription.updateOne(parkedSubscriptionFilter(name, tenant), subscriptionRetryUpdate())).modifiedCount === 1,
    skip: async (name, tenant) =>
      (await m.Subscription.updateOne(parkedSubscriptionFilter(name, tenant), subscriptionSkipPipeline(), { updatePipeline: true })).modifiedCount === 1,
  };
}

/** Watches the event log with a change stream (replica sets only); returns how to stop watching. */
export function watchEventLog(m: EventModels, onAppend: () => void): () => Promise<void> {
  const stream = m.EventLog.watch(eventLogWatchPipeline());
  stream.on('change', () => onAppend());
  // A stream that breaks (a failover) leaves the dispatcher's slow poll to catch up.
  stream.on('error', () => undefined);
  return async () => {
    await stream.close();
  };
}

/** Drops the events about a forgotten person in the erasure's transaction (the model is looked up on the connection). */
export async function eraseMongoEvents(conn: Connection, filter: Doc, session: ClientSession | undefined): Promise<void> {
  if (!conn.models.EventLog) return;
  await conn.models.EventLog.deleteMany(filter, { session });
}
