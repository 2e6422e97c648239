import type { StageChange } from '../../domain/types.js';
import type { CustomerRepo, IdentityRepo } from '../port.js';
import { assertFieldName } from '../where.js';
import { caseClosing, erasedCustomer, nameKey, stageMove } from '../records.js';
import { d, dOrNull } from './codecs.js';
import { BUCKET_MS } from './filters.js';

/**
 * Update documents the engine builds, as pure functions (checked with mingo's updater against SQLite's answers).
 * Values are set as values: the operators are ours, never taken from input.
 */

/** A customer patch: the patched fields, its name key when renamed, and the time. */
export const customerPatchUpdate = (patch: Parameters<CustomerRepo['update']>[1], now: string) =>
  ({ $set: { ...patch, ...(patch.name !== undefined ? { nameLc: nameKey(patch.name) } : {}), updatedAt: d(now) } });

/** A customer merged into another, or back out of it (null). */
export const mergedIntoUpdate = (intoId: number | null, now: string) => ({ $set: { mergedInto: intoId, updatedAt: d(now) } });

/** Moves a customer's documents to another customer. */
export const reassignUpdate = (customerId: number) => ({ $set: { customerId } });

/** The erasure of a customer (records.ts says what is left). */
export const erasureUpdate = (id: number, now: string) => {
  const e = erasedCustomer(id, now);
  return { $set: { ...e, nameLc: nameKey(e.name), updatedAt: d(e.updatedAt) } };
};

/** What erasing a customer does to its interactions and cases: texts and the authors' identities go. */
export const erasedInteractionsUpdate = () => ({ $set: { text: '', identity: null, edits: [] } });
export const erasedCasesUpdate = () => ({ $set: { summary: '' } });

/**
 * A chat identity seen now: refreshes the name, last-seen and reachability (and locale when the platform sends
 * one); a first contact also records platform, role, customer, verification and zone.
 */
export const identityTouchUpdate = (input: Parameters<IdentityRepo['touch']>[0], now: string) => ({
  $set: { displayName: input.displayName, lastSeenAt: d(now), reachable: true, ...(input.locale ? { locale: input.locale } : {}) },
  $setOnInsert: {
    platform: input.platform, role: input.role, customerId: input.customerId, verified: true,
    ...(input.locale ? {} : { locale: null }), timezone: input.timezone ?? null, createdAt: d(now),
  },
});

/** The platform's zone, for an identity that has none recorded (a zone the person set stays): pairs with `{ timezone: null }`. */
export const platformZoneUpdate = (timezone: string) => ({ $set: { timezone } });

/** One field of an identity set: role, customer link, zone or reachability. */
export const identityFieldUpdate = (field: 'role' | 'customerId' | 'timezone' | 'reachable', value: unknown) => ({ $set: { [field]: value } });

/** A deal moved to a stage, its history appended. */
export const stageMoveUpdate = (change: StageChange & { probability: number; closed: boolean; lostReason?: string | null }) => {
  const { set, entry } = stageMove(change);
  return { $set: { ...set, updatedAt: d(set.updatedAt), closedAt: dOrNull(set.closedAt) }, $push: { history: entry } };
};

/** A case closed (pairs with an open-case filter). */
export const caseCloseUpdate = (now: string, resolved?: { by: string; resolution: string }) => {
  const { set } = caseClosing(now, resolved);
  return { $set: { ...set, closedAt: d(set.closedAt) } };
};

/** The first response to a case (pairs with a filter on `firstResponseAt: null`). */
export const firstResponseUpdate = (at: string) => ({ $set: { firstResponseAt: d(at) } });

/** A claim round's lease on outbox items: holder, until when, one more attempt. */
export const leaseUpdate = (holder: string, until: Date) => ({ $set: { leaseHolder: String(holder), leaseUntil: until }, $inc: { attempts: 1 } });

const UNLEASED = { leaseHolder: null, leaseUntil: null };

/** Outcomes of a send, each ending the lease. */
export const sentUpdate = (now: string) => ({ $set: { status: 'sent', sentAt: d(now), ...UNLEASED } });
export const retryUpdate = (at: string, error: string) => ({ $set: { nextAttemptAt: d(at), lastError: error, ...UNLEASED } });
/** Put off without a failure (a rate limit): the attempt is given back. */
export const postponeUpdate = (at: string) => ({ $set: { nextAttemptAt: d(at), ...UNLEASED }, $inc: { attempts: -1 } });
export const deadUpdate = (error: string) => ({ $set: { status: 'dead', lastError: error, ...UNLEASED } });
/** A stopping worker's leases, given back with their attempts. */
export const releaseUpdate = () => ({ $set: { ...UNLEASED }, $inc: { attempts: -1 } });

/** A plugin document replaced whole, its version raised (created at 1). */
export const docPutUpdate = (doc: { id: string }) => ({ $set: { doc }, $inc: { version: 1 } });

/** A plugin document created only if absent (pairs with `upsert`). */
export const docInsertUpdate = (doc: { id: string }) => ({ $setOnInsert: { doc, version: 1 } });

/** A numeric field of a plugin document raised by `by`, the document created with just its id when absent. */
export const docIncrementUpdate = (id: string, field: string, by: number) =>
  ({ $inc: { [`doc.${assertFieldName(field)}`]: Number(by), version: 1 }, $setOnInsert: { 'doc.id': id } });

/** A released job tick taken by a holder. */
export const tickClaimUpdate = (holder: string, now: string) => ({ $set: { holder: String(holder), at: d(now) } });

/** A tick a holder gives back (kept, with an empty holder, so only `claimReleasedTick` takes it again). */
export const tickReleaseUpdate = () => ({ $set: { holder: '' } });

/** A counter raised by `n`, created at `n` (pairs with `upsert`; the value after is the last number taken). */
export const counterIncUpdate = (n = 1) => ({ $inc: { value: Number(n) } });

/** A counter raised to at least `value` (after an import with its own ids). */
export const counterAtLeastUpdate = (value: number) => ({ $max: { value: Number(value) } });

/** A ledger balance created at 0 when absent (pairs with `upsert`). */
export const balanceSeedUpdate = () => ({ $setOnInsert: { balance: 0 } });

/** A ledger balance moved by `delta`. */
export const balanceMoveUpdate = (delta: number) => ({ $inc: { balance: Number(delta) } });

/** A record inserted only if its id is new (pairs with `upsert`): an id already recorded stays as it was. */
export const insertOnlyUpdate = (fields: Record<string, unknown>) => ({ $setOnInsert: fields });

/** An inbox item's lease taken or extended by a holder until a time. */
export const inboxLeaseUpdate = (holder: string, until: Date) => ({ $set: { holder: String(holder), leaseUntil: until } });

/** The lease of these ids extended (pairs with the holder's filter). */
export const leaseUntilUpdate = (until: Date) => ({ $set: { leaseUntil: until } });

/** An invite code used now. */
export const inviteUsedUpdate = (now: string) => ({ $set: { usedAt: d(now) } });

/** The answer of an idempotent request recorded. */
export const idempotencyFinishUpdate = (status: number, body: unknown) => ({ $set: { status: Number(status), body } });

/** A subscription cursor created at the start of the log (pairs with `upsert`). */
export const subscriptionSeedUpdate = (name: string, tenant: string) => ({ $setOnInsert: { name: String(name), tenant: String(tenant), position: 0, attempts: 0 } });

/** A subscription leased by a holder until a time. */
export const subscriptionLeaseUpdate = (holder: string, until: Date) => ({ $set: { leaseHolder: String(holder), leaseUntil: until } });

/** A subscription moved past what it handled, its failures cleared. */
export const subscriptionAdvanceUpdate = (position: number) =>
  ({ $set: { position: Number(position), attempts: 0, nextAttemptAt: null, failedPosition: null, lastError: null } });

/** A failed delivery: one more attempt, retried at a time or parked, the lease given back. */
export const subscriptionFailUpdate = (f: { position: number; error: string; retryAt: string; park: boolean; now: string }) => ({
  $inc: { attempts: 1 },
  $set: { failedPosition: Number(f.position), lastError: String(f.error).slice(0, 1000), nextAttemptAt: d(f.retryAt), parkedAt: f.park ? d(f.now) : null, leaseHolder: null, leaseUntil: null },
});

/** A subscription's lease given back. */
export const subscriptionReleaseUpdate = () => ({ $set: { leaseHolder: null, leaseUntil: null } });

/** A parked subscription running again from the event that failed. */
export const subscriptionRetryUpdate = () => ({ $set: { parkedAt: null, attempts: 0, nextAttemptAt: null } });

/** A parked subscription running again past the event that failed (an update pipeline: the position comes from the document). */
export const subscriptionSkipPipeline = () => [
  { $set: { position: { $max: ['$position', { $ifNull: ['$failedPosition', '$position'] }] }, parkedAt: null, attempts: 0, nextAttemptAt: null, failedPosition: null, lastError: null } },
];

/**
 * The spend as an update pipeline: refill to `now` (a new bucket starts full), take a token if one is
 * there, remember whether it did, and push the expiry a minute past the last use. Checked with mingo.
 */
export function bucketSpendPipeline(perMinute: number, now: number): Record<string, unknown>[] {
  const cap = perMinute;
  const refilled = { $min: [cap, { $add: [{ $ifNull: ['$tokens', cap] }, { $multiply: [{ $max: [0, { $subtract: [now, { $ifNull: ['$at', now] }] }] }, cap / BUCKET_MS] }] }] };
  const at = { $max: [{ $ifNull: ['$at', now] }, now] };
  return [
    { $set: { refilled } },
    {
      $set: {
        spent: { $gte: ['$refilled', 1] },
        tokens: { $cond: [{ $gte: ['$refilled', 1] }, { $subtract: ['$refilled', 1] }, '$refilled'] },
        at, expiresAt: { $toDate: { $add: [at, BUCKET_MS] } }, toldUntil: { $ifNull: ['$toldUntil', 0] },
      },
    },
    { $unset: 'refilled' },
  ];
}

/** A rate bucket given its token back, never past full (an update pipeline). */
export const bucketRefundPipeline = (perMinute: number) => [{ $set: { tokens: { $min: [Number(perMinute), { $add: ['$tokens', 1] }] } } }];

/** A rate bucket that told its holder about the limit, silent until `until`. */
export const bucketToldUpdate = (until: number) => ({ $set: { toldUntil: Number(until) } });
