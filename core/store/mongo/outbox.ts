import type { Platform } from '../../domain/types.js';
import type { OutboxQueue, OutboxRepo } from '../port.js';
import { isDuplicateOn } from './duplicate-key.js';
import { MAJORITY } from './replica-set.js';
import { queuedOutbox } from '../records.js';
import { d, outboxDoc, toOutbox, type Doc } from './codecs.js';
import { claimableFilter, claimCandidatesFilter, claimedFilter, deliveredFilter, heldFilter, leasedFilter } from './filters.js';
import { deadUpdate, leaseUpdate, postponeUpdate, releaseUpdate, retryUpdate, sentUpdate } from './updates.js';
import { outboxDepthPipeline } from './pipelines.js';
import type { Models } from './models.js';
import type { Scope } from './scope.js';
import { mongoMarkPart } from './outbox-parts.js';

/** A tenant's outbound messages: queued once per idempotency key, listed once delivered. */
export function mongoOutbox({ m, tenant, nextId }: Scope): OutboxRepo {
  return {
    enqueue: async (input, now) => {
      if (await m.Outbox.exists({ tenant, idempotencyKey: input.idempotencyKey })) return false;
      const id = await nextId('outbox', '_system');
      try {
        await m.Outbox.create(outboxDoc({ id, ...queuedOutbox(tenant, input, now) }));
        return true;
      } catch (e) {
        // Only the idempotency key means "already queued"; a collision on the outbox id is a fault, never a dropped message.
        if (isDuplicateOn(e, { tenant: 1, idempotencyKey: 1 })) return false;
        throw e;
      }
    },
    delivered: async (target, limit) => {
      const rows = (await m.Outbox.find(deliveredFilter(tenant, target)).sort({ sentAt: -1, id: -1 }).limit(limit).lean()) as Doc[];
      return rows.reverse().map(toOutbox);
    },
  };
}

/** The workers' side of the outbox, across tenants: leases, retries, dead letters. */
export function mongoOutboxQueue(m: Models): OutboxQueue {
  return {
    claim: async (holder, now, leaseMs, limit, platforms) => {
      const until = new Date(Date.parse(now) + leaseMs);
      const served = platforms.map(String);
      // A batch per round trip: pick candidates, lease those still claimable in one updateMany (each document's
      // update is atomic, so two workers never lease the same message), then read back what this lease got.
      const ids = ((await m.Outbox.find(claimableFilter(served, d(now)), { id: 1 }).sort({ nextAttemptAt: 1, id: 1 }).limit(limit).lean()) as Doc[]).map((r) => Number(r.id));
      if (!ids.length) return [];
      await m.Outbox.updateMany(claimCandidatesFilter(served, d(now), ids), leaseUpdate(holder, until), { writeConcern: MAJORITY });
      const mine = await m.Outbox.find(claimedFilter(ids, holder, until)).sort({ nextAttemptAt: 1, id: 1 }).lean();
      return (mine as Doc[]).map(toOutbox);
    },
    markSent: async (id, holder, now) =>
      (await m.Outbox.updateOne(leasedFilter(id, holder), sentUpdate(now), { writeConcern: MAJORITY })).modifiedCount === 1,
    retryAt: async (id, holder, at, error) =>
      (await m.Outbox.updateOne(leasedFilter(id, holder), retryUpdate(at, error), { writeConcern: MAJORITY })).modifiedCount === 1,
    postpone: async (id, holder, at) =>
      (await m.Outbox.updateOne(leasedFilter(id, holder), postponeUpdate(at), { writeConcern: MAJORITY })).modifiedCount === 1,
    markDead: async (id, holder, error) =>
      (await m.Outbox.updateOne(leasedFilter(id, holder), deadUpdate(error), { writeConcern: MAJORITY })).modifiedCount === 1,
    markPart: (id, holder, part, ref) => mongoMarkPart(m.Outbox, id, holder, part, ref),
    release: async (holder) =>
      (await m.Outbox.updateMany(heldFilter(holder), releaseUpdate(), { writeConcern: MAJORITY })).modifiedCount,
    depth: async () => {
      const rows = (await m.Outbox.aggregate(outboxDepthPipeline() as any[])) as { _id: Platform; n: number }[];
      return Object.fromEntries(rows.map((r) => [r._id, r.n]));
    },
  };
}
