import type { Model } from 'mongoose';
import { GroupCommit, type ItemOutcome } from '../group-commit.js';
import { d } from './codecs.js';
import { insertOnlyUpdate } from './updates.js';
import { idFilter } from './filters.js';
import { MAJORITY } from './replica-set.js';

interface WriteError {
  index: number;
  code?: number;
  errmsg?: string;
}

interface BulkFailure {
  writeErrors?: WriteError[] | WriteError;
  result?: { upsertedIds?: Record<number, unknown>; insertedIds?: Record<number, unknown> };
}

/**
 * What each dedupe key of a bulk write answers: first seen when its upsert inserted, already seen when it
 * matched (or lost a duplicate-key race), and its own error when the server refused that one write. A failure without per-write errors (the
 * connection, the write concern) fails every key, since none is known to be stored.
 */
export function seenOutcomes(count: number, upserted: Record<number, unknown> | undefined, error?: unknown): ItemOutcome<boolean>[] {
  const failure = (error ?? {}) as BulkFailure;
  const writeErrors = failure.writeErrors === undefined ? [] : ([] as WriteError[]).concat(failure.writeErrors);
  if (error !== undefined && !writeErrors.length) return Array.from({ length: count }, () => ({ ok: false, error }));
  const inserted = new Set(Object.keys(upserted ?? failure.result?.upsertedIds ?? {}).map(Number));
  const refused = new Map(writeErrors.map((w) => [w.index, w]));
  return Array.from({ length: count }, (_, i) => {
    const w = refused.get(i);
    // Two upserts of one key in the same batch: the loser's duplicate-key error means "already seen".
    if (w?.code === 11000) return { ok: true, value: false };
    return w ? { ok: false, error: new Error(w.errmsg ?? 'write refused') } : { ok: true, value: inserted.has(i) };
  });
}

/**
 * `firstSeen` on MongoDB with group commit: the keys of the same millisecond go in one unordered
 * bulk write of insert-only upserts (majority write concern), and each answers from what its own upsert did.
 */
export function mongoFirstSeen(EventSeen: Model<any>): (key: string, now: string) => Promise<boolean> {
  const group = new GroupCommit<{ key: string; now: string }, boolean>({ windowMs: 1, maxItems: 256 }, async (items) => {
    const ops = items.map((i) => ({ updateOne: { filter: idFilter(i.key), update: insertOnlyUpdate({ at: d(i.now) }), upsert: true } }));
    try {
      const res = await EventSeen.bulkWrite(ops, { ordered: false, writeConcern: { w: MAJORITY.w } });
      return seenOutcomes(items.length, res.upsertedIds as Record<number, unknown>);
    } catch (e) {
      return seenOutcomes(items.length, undefined, e);
    }
  });
  return (key, now) => group.add({ key, now });
}
