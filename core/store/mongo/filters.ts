import mongoose from 'mongoose';
import { assertFieldName, cleanWhere } from '../where.js';
import type { RateKind, Where } from '../port.js';
import { nameKey } from '../records.js';

/**
 * Query filters the engine builds, as pure functions (checked with mingo). The connection sanitises
 * filters, so an operator object only works when the engine marks it with `trusted`; a value that
 * came from outside and happens to look like `{ $ne: null }` is compared as a plain value.
 */
export const trusted = <T extends object>(op: T): T => mongoose.trusted(op) as T;

/** Text matched literally inside a regular expression. */
export const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Outbox items a worker may lease now: pending, due, for a platform it serves, not leased or with a lapsed lease. */
export const claimableFilter = (platforms: string[], now: Date) => ({
  status: 'pending', platform: trusted({ $in: platforms }), nextAttemptAt: trusted({ $lte: now }),
  $or: [{ leaseUntil: null }, { leaseUntil: trusted({ $lt: now }) }],
});

/**
 * Live customers whose name, company or any e-mail contains the text, ignoring case over Unicode
 * (the `i` flag folds non-ASCII letters too), with the text matched literally.
 */
export const customerSearchFilter = (tenant: string, text: string) => {
  const re = new RegExp(escapeRegex(String(text)), 'i');
  return { tenant, mergedInto: null, $or: [{ name: re }, { company: re }, { emails: re }] };
};

/** Accounts of a ledger starting with a prefix, matched literally. */
export const prefixRegex = (prefix: string) => new RegExp(`^${escapeRegex(String(prefix))}`);

/** One plugin document, at a given version when asked (compare-and-set); documents written before versions existed are at 0. */
export const docUpdateFilter = (base: { tenant: string; plugin: string; collection: string }, id: string, ifVersion?: number) =>
  ({ ...base, id, ...(ifVersion === undefined ? {} : { version: ifVersion === 0 ? trusted({ $in: [0, null] }) : Number(ifVersion) }) });

/** Sets the patched fields inside the document and raises its version. */
export const docPatch = (patch: Record<string, unknown>) => {
  const set = Object.fromEntries(Object.entries(patch).map(([k, v]) => [`doc.${assertFieldName(k)}`, v ?? null]));
  return { ...(Object.keys(set).length ? { $set: set } : {}), $inc: { version: 1 } };
};

/** Live (not merged away) customers of a tenant. */
export const liveCustomersFilter = (tenant: string) => ({ tenant, mergedInto: null });

/** Live customers with exactly this name, ignoring case. */
export const customerNameFilter = (tenant: string, name: string) => ({ ...liveCustomersFilter(tenant), nameLc: nameKey(name) });

/** The next page of live customers after an id (keyset). */
export const customerPageFilter = (tenant: string, afterId: number) => ({ ...liveCustomersFilter(tenant), id: trusted({ $gt: Number(afterId) }) });

/** Live customers created in [from, to). */
export const customersCreatedFilter = (tenant: string, from: Date, to: Date) => ({ ...liveCustomersFilter(tenant), createdAt: trusted({ $gte: from, $lt: to }) });

/** A tenant's documents whose `key` is one of the values (a merge's moved identities, interactions or deals; what an erasure touches). */
export const anyOfFilter = (tenant: string, key: string, values: (string | number)[]) => ({ tenant, [key]: trusted({ $in: values }) });

/** Deals by owner, stage, customer and open or closed, each only when asked. */
export const dealListFilter = (tenant: string, f: { owner?: string; stage?: string; customerId?: number; open?: boolean }) => ({
  tenant,
  ...(f.owner !== undefined ? { owner: String(f.owner) } : {}),
  ...(f.stage !== undefined ? { stage: String(f.stage) } : {}),
  ...(f.customerId !== undefined ? { customerId: Number(f.customerId) } : {}),
  ...(f.open !== undefined ? { closedAt: f.open ? null : trusted({ $ne: null }) } : {}),
});

/** Open cases, of one customer when given. */
export const openCasesFilter = (tenant: string, customerId?: number) =>
  ({ tenant, status: 'open', ...(customerId !== undefined ? { customerId: Number(customerId) } : {}) });

/** A customer's open cases still waiting for a first response and opened by `at`. */
export const awaitingResponseFilter = (tenant: string, customerId: number, at: Date) =>
  ({ ...openCasesFilter(tenant, customerId), firstResponseAt: null, openedAt: trusted({ $lte: at }) });

/** Cases by customer, kind and opening time in [openedFrom, openedTo), each only when asked. */
export const caseListFilter = (tenant: string, f: { customerId?: number; kind?: string; openedFrom?: string; openedTo?: string }) => ({
  tenant,
  ...(f.customerId !== undefined ? { customerId: Number(f.customerId) } : {}),
  ...(f.kind !== undefined ? { kind: String(f.kind) } : {}),
  ...(f.openedFrom !== undefined || f.openedTo !== undefined
    ? { openedAt: trusted({ ...(f.openedFrom !== undefined ? { $gte: new Date(f.openedFrom) } : {}), ...(f.openedTo !== undefined ? { $lt: new Date(f.openedTo) } : {}) }) }
    : {}),
});

/** Messages delivered to a target. */
export const deliveredFilter = (tenant: string, target: string) => ({ tenant, target: String(target), status: 'sent' });

/** One outbox item as long as this holder's lease on it stands and it is still pending. */
export const leasedFilter = (id: number, holder: string) => ({ id: Number(id), leaseHolder: String(holder), status: 'pending' });

/** Every pending item a holder leases (released when it stops). */
export const heldFilter = (holder: string) => ({ leaseHolder: String(holder), status: 'pending' });

/** The candidates a claim round picked that are still claimable. */
export const claimCandidatesFilter = (platforms: string[], now: Date, ids: number[]) => ({ ...claimableFilter(platforms, now), id: trusted({ $in: ids }) });

/** What one claim round leased: the picked ids now held by this holder until this lease's end. */
export const claimedFilter = (ids: number[], holder: string, until: Date) => ({ id: trusted({ $in: ids }), leaseHolder: String(holder), leaseUntil: until });

/** A plugin's documents matching the where clause (field equality, null for a missing field). */
export const docWhereFilter = (base: { tenant: string; plugin: string; collection: string }, where: Where) =>
  ({ ...base, ...Object.fromEntries(Object.entries(cleanWhere(where)).map(([k, v]) => [`doc.${k}`, v])) });

/** The next page of a plugin's documents after an id (keyset; null starts at the first). */
export const docPageFilter = (base: { tenant: string; plugin: string; collection: string }, after: string | null) =>
  ({ ...base, id: trusted({ $gt: after === null ? '' : String(after) }) });

/** A job's ticks released by a stopped holder, for another to take. */
export const releasedTickFilter = (job: string) => ({ job: String(job), holder: '' });

/** Event keys first seen before a time. */
export const seenBeforeFilter = (before: Date) => ({ at: trusted({ $lt: before }) });

/** A tenant's counter (ids, event positions, ledger sequences). */
export const counterFilter = (tenant: string, name: string) => ({ tenant, name: String(name) });

/** One account of a ledger (its balance, or its entries). */
export const ledgerAccountFilter = (scope: { tenant: string; plugin: string; ledger: string }, account: string) => ({ ...scope, account: String(account) });

/** A ledger's entries with an idempotency key. */
export const ledgerKeyFilter = (scope: { tenant: string; plugin: string; ledger: string }, key: string) => ({ ...scope, key: String(key) });

/** An account's balance as long as moving it by `delta` keeps it at or above the floor (no floor: always). */
export const floorGuardFilter = (scope: { tenant: string; plugin: string; ledger: string }, account: string, delta: number, floor?: number) =>
  ({ ...ledgerAccountFilter(scope, account), ...(floor === undefined ? {} : { balance: trusted({ $gte: Number(floor) - Number(delta) }) }) });

/** A ledger's entries of accounts starting with a prefix (matched literally). */
export const ledgerPrefixFilter = (scope: { tenant: string; plugin: string; ledger: string }, prefix: string) => ({ ...scope, account: prefixRegex(prefix) });

/** The record with this string id (`_id`). */
export const idFilter = (id: string) => ({ _id: String(id) });

/** Records with one of these string ids (`_id`). */
export const idsFilter = (ids: string[]) => ({ _id: trusted({ $in: ids.map(String) }) });

/** Inbox items whose lease ran out before now. */
export const staleInboxFilter = (now: Date) => ({ leaseUntil: trusted({ $lt: now }) });

/** Inbox items of these ids held by a holder. */
export const heldInboxFilter = (ids: string[], holder: string) => ({ ...idsFilter(ids), holder: String(holder) });

/** An invite code still usable now: unused and not expired. */
export const usableInviteFilter = (tenant: string, hash: string, now: Date) => ({ tenant, hash: String(hash), usedAt: null, expiresAt: trusted({ $gt: now }) });

/** A web session still running now. */
export const liveSessionFilter = (tenant: string, hash: string, now: Date) => ({ tenant, hash: String(hash), expiresAt: trusted({ $gt: now }) });

/** Sessions that expired by now. */
export const expiredSessionsFilter = (tenant: string, now: Date) => ({ tenant, expiresAt: trusted({ $lte: now }) });

/** Invite codes no longer wanted: expired by now, or used before `before`. */
export const staleInvitesFilter = (tenant: string, now: Date, before: Date) =>
  ({ tenant, $or: [{ expiresAt: trusted({ $lte: now }) }, { usedAt: trusted({ $lt: before }) }] });

/** A person's records (web sessions, invites, idempotency keys). */
export const identityFilter = (tenant: string, identity: string) => ({ tenant, identity: String(identity) });

/** One idempotency key of a person, created before a time when given (an expired one). */
export const idempotencyKeyFilter = (tenant: string, identity: string, key: string, createdBefore?: Date) =>
  ({ ...identityFilter(tenant, identity), key: String(key), ...(createdBefore === undefined ? {} : { createdAt: trusted({ $lt: createdBefore }) }) });

/** An idempotency key whose request has not answered yet. */
export const unfinishedKeyFilter = (tenant: string, identity: string, key: string) => ({ ...idempotencyKeyFilter(tenant, identity, key), status: null });

/** Idempotency records created before a time. */
export const createdBeforeFilter = (tenant: string, before: Date) => ({ tenant, createdAt: trusted({ $lt: before }) });

/** The next page of a tenant's records after an id (keyset), merged customers included. */
export const idPageFilter = (tenant: string, afterId: number) => ({ tenant, id: trusted({ $gt: Number(afterId) }) });

/** A tenant's logged events after a position, of the named kinds. */
export const eventsAfterFilter = (tenant: string, position: number, names: string[]) =>
  ({ tenant, position: trusted({ $gt: Number(position) }), name: trusted({ $in: names.map(String) }) });

/** A subscription's cursor. */
export const subscriptionFilter = (name: string, tenant: string) => ({ name: String(name), tenant: String(tenant) });

/** A subscription that may be leased now: not parked, due, and not leased by someone else whose lease runs. */
export const claimableSubscriptionFilter = (name: string, tenant: string, holder: string, now: Date) => ({
  ...subscriptionFilter(name, tenant), parkedAt: null,
  $and: [
    { $or: [{ nextAttemptAt: null }, { nextAttemptAt: trusted({ $lte: now }) }] },
    { $or: [{ leaseHolder: null }, { leaseHolder: String(holder) }, { leaseUntil: trusted({ $lt: now }) }] },
  ],
});

/** A subscription as long as this holder leases it. */
export const subscriptionHeldFilter = (name: string, tenant: string, holder: string) => ({ ...subscriptionFilter(name, tenant), leaseHolder: String(holder) });

/** A parked subscription (stopped after too many failures). */
export const parkedSubscriptionFilter = (name: string, tenant: string) => ({ ...subscriptionFilter(name, tenant), parkedAt: trusted({ $ne: null }) });

/** Subscriptions, parked or running when asked. */
export const subscriptionListFilter = (parked?: boolean) =>
  (parked === undefined ? {} : parked ? { parkedAt: trusted({ $ne: null }) } : { parkedAt: null });

/** A rate bucket refills in a minute: one untouched that long is full, and a told holder hears again after it. */
export const BUCKET_MS = 60_000;

/** The bucket's identity: equality on plain strings, so a key never acts as an operator. */
export const bucketFilter = (kind: RateKind, key: string): { kind: string; key: string } => ({ kind: String(kind), key: String(key) });

/** Buckets of a kind used in the last minute. */
export const liveBucketsFilter = (kind: RateKind, now: number) => ({ kind: String(kind), at: trusted({ $gt: Number(now) - BUCKET_MS }) });

/** A rate bucket that may tell its holder about the limit now (not told within the last minute). */
export const untoldBucketFilter = (bucket: { kind: string; key: string }, now: number) => ({ ...bucket, toldUntil: trusted({ $lte: Number(now) }) });

/** Rate buckets unused for longer than a minute before now. */
export const idleBucketsFilter = (now: number) => ({ at: trusted({ $lt: Number(now) - BUCKET_MS }) });
