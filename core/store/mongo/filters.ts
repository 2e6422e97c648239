import mongoose from 'mongoose';
import { assertFieldName } from '../where.js';

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

/**
 * Adds `by` to one field inside the document and raises its version, in one atomic step; with upsert a missing
 * document starts from the filter's fields and its id, so a missing document or field counts from 0.
 */
export const docIncrement = (id: string, field: string, by: number) =>
  ({ $inc: { [`doc.${assertFieldName(field)}`]: Number(by), version: 1 }, $setOnInsert: { 'doc.id': String(id) } });

/** Sets the patched fields inside the document and raises its version. */
export const docPatch = (patch: Record<string, unknown>) => {
  const set = Object.fromEntries(Object.entries(patch).map(([k, v]) => [`doc.${assertFieldName(k)}`, v ?? null]));
  return { ...(Object.keys(set).length ? { $set: set } : {}), $inc: { version: 1 } };
};
