import type { Case, Customer, Deal, IdentityLink, Interaction, MergeRecord } from '../../domain/types.js';
import type { OutboxItem } from '../port.js';
import {
  caseRecord, customerRecord, dealRecord, identityRecord, interactionRecord, mergeRecord, nameKey, outboxRecord, type Fields,
} from '../records.js';

/** Stored documents to port records and back: MongoDB's part is dates (Date in the server, ISO strings at the port); records.ts does the rest. */
export type Doc = Record<string, unknown>;
export const d = (iso: string) => new Date(iso);
export const dOrNull = (iso: string | null | undefined) => (iso == null ? null : new Date(iso));
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
export const isoOrNull = (v: unknown): string | null => (v == null ? null : iso(v));

/** A document's fields with its (top-level) dates as ISO strings; `_id` and lookup keys are dropped by the record readers. */
export const docFields = (x: Doc): Fields => Object.fromEntries(Object.entries(x).map(([k, v]) => [k, v instanceof Date ? v.toISOString() : v]));

export const toCustomer = (x: Doc): Customer => customerRecord(docFields(x));
export const toIdentity = (x: Doc): IdentityLink => identityRecord(docFields(x));
export const toInteraction = (x: Doc): Interaction => interactionRecord(docFields(x));
export const toDeal = (x: Doc): Deal => dealRecord(docFields(x));
export const toCase = (x: Doc): Case => caseRecord(docFields(x));
export const toMerge = (x: Doc): MergeRecord => mergeRecord(docFields(x));
export const toOutbox = (x: Doc): OutboxItem => outboxRecord(docFields(x));

/** Port records as stored documents: dates as Date, customers also keyed by their lower-cased name. */
export const customerDoc = (c: Customer): Doc => ({ ...c, nameLc: nameKey(c.name), createdAt: d(c.createdAt), updatedAt: d(c.updatedAt) });
export const interactionDoc = (i: Interaction): Doc => ({ ...i, occurredAt: d(i.occurredAt) });
export const dealDoc = (x: Deal): Doc => ({ ...x, closedAt: dOrNull(x.closedAt), createdAt: d(x.createdAt), updatedAt: d(x.updatedAt) });
export const caseDoc = (k: Case): Doc => ({
  ...k, dueAt: dOrNull(k.dueAt), openedAt: d(k.openedAt), closedAt: dOrNull(k.closedAt), firstResponseAt: dOrNull(k.firstResponseAt),
});
export const mergeDoc = (r: MergeRecord): Doc => ({ ...r, at: d(r.at), undoneAt: dOrNull(r.undoneAt) });
export const outboxDoc = (o: OutboxItem): Doc => ({
  ...o, nextAttemptAt: d(o.nextAttemptAt), leaseUntil: dOrNull(o.leaseUntil), createdAt: d(o.createdAt), sentAt: dOrNull(o.sentAt),
});
