import type { Case, Customer, Deal, IdentityLink, Interaction, MergeRecord } from '../../domain/types.js';
import { messageFields } from '../../domain/message-change.js';
import type { OutboxItem } from '../port.js';

/** Stored documents to port records and back: dates are Date in MongoDB and ISO strings at the port; _id never leaves. */
export type Doc = Record<string, unknown>;
export const d = (iso: string) => new Date(iso);
const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));
export const isoOrNull = (v: unknown): string | null => (v == null ? null : iso(v));

function strip(doc: Doc): Doc {
  const { _id, ...rest } = doc;
  void _id;
  return rest;
}

export function toCustomer(x: Doc): Customer {
  const { nameLc, ...r } = strip(x);
  void nameLc;
  return { ...(r as unknown as Customer), createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
}
export const toIdentity = (x: Doc): IdentityLink => {
  const r = strip(x);
  return { ...(r as unknown as IdentityLink), lastSeenAt: iso(r.lastSeenAt), createdAt: iso(r.createdAt) };
};
export const toInteraction = (x: Doc): Interaction => {
  const r = strip(x);
  const { messageId, edits, deleted, ...rest } = r as unknown as Interaction;
  return { ...rest, occurredAt: iso(r.occurredAt), ...messageFields(messageId, edits, deleted) };
};
export const toDeal = (x: Doc): Deal => {
  const r = strip(x);
  return { ...(r as unknown as Deal), closedAt: isoOrNull(r.closedAt), createdAt: iso(r.createdAt), updatedAt: iso(r.updatedAt) };
};
export const toCase = (x: Doc): Case => {
  const r = strip(x);
  return {
    ...(r as unknown as Case), dueAt: isoOrNull(r.dueAt), openedAt: iso(r.openedAt), closedAt: isoOrNull(r.closedAt),
    closedBy: (r.closedBy as string) ?? null, resolution: (r.resolution as string) ?? null, firstResponseAt: isoOrNull(r.firstResponseAt),
  };
};
export const toMerge = (x: Doc): MergeRecord => {
  const r = strip(x);
  return { ...(r as unknown as MergeRecord), at: iso(r.at), undoneAt: isoOrNull(r.undoneAt) };
};
export const toOutbox = (x: Doc): OutboxItem => {
  const r = strip(x);
  return {
    ...(r as unknown as OutboxItem), nextAttemptAt: iso(r.nextAttemptAt), leaseUntil: isoOrNull(r.leaseUntil),
    createdAt: iso(r.createdAt), sentAt: isoOrNull(r.sentAt), parts: (r.parts as OutboxItem['parts']) ?? {},
  };
};
