import type { StageChange } from '../../domain/types.js';
import type { CustomerRepo, IdentityRepo } from '../port.js';
import { assertFieldName } from '../where.js';
import { caseClosing, erasedCustomer, nameKey, stageMove } from '../records.js';
import { d, dOrNull } from './codecs.js';

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
