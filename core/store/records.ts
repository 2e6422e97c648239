import type {
  Case, Consent, Customer, Deal, IdentityLink, Interaction, InteractionEdit, InteractionType, MergeRecord, NewCase, NewCustomer,
  NewDeal, Platform, Role, StageChange,
} from '../domain/types.js';
import { messageFields } from '../domain/message-change.js';
import type { OutboxItem, OutboxRepo } from './port.js';

/**
 * The port's records as both engines write and read them: what a new record holds by default, what an erasure,
 * a stage move or a closing writes, and a stored record read back into exactly the port's fields (optional ones
 * null, flags boolean). Each engine keeps only its driver part: SQLite's column names and JSON columns, MongoDB's
 * Date objects. Field bags here are camelCase with dates as ISO strings.
 */
export type Fields = Record<string, unknown>;

const str = (v: unknown) => String(v);
const strOrNull = (v: unknown) => (v == null ? null : String(v));
const numOrNull = (v: unknown) => (v == null ? null : Number(v));
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** The key a customer is found by name with: exact, ignoring case over Unicode. */
export const nameKey = (name: string) => String(name).toLowerCase();

export const customerRecord = (f: Fields): Customer => ({
  tenant: str(f.tenant), id: Number(f.id), name: str(f.name), company: strOrNull(f.company),
  emails: list(f.emails), phones: list(f.phones), tags: list(f.tags), owner: strOrNull(f.owner),
  lifecycle: str(f.lifecycle), consent: f.consent as Consent, mergedInto: numOrNull(f.mergedInto),
  createdAt: str(f.createdAt), updatedAt: str(f.updatedAt),
});

export const identityRecord = (f: Fields): IdentityLink => ({
  tenant: str(f.tenant), identity: str(f.identity), platform: f.platform as Platform, displayName: str(f.displayName),
  role: f.role as Role, customerId: numOrNull(f.customerId), verified: Boolean(f.verified), locale: strOrNull(f.locale),
  timezone: strOrNull(f.timezone), reachable: Boolean(f.reachable), lastSeenAt: str(f.lastSeenAt), createdAt: str(f.createdAt),
});

export const interactionRecord = (f: Fields): Interaction => ({
  tenant: str(f.tenant), id: Number(f.id), customerId: numOrNull(f.customerId), identity: strOrNull(f.identity),
  type: f.type as InteractionType, channel: str(f.channel), direction: f.direction as Interaction['direction'], text: str(f.text),
  amountMinor: numOrNull(f.amountMinor), currency: strOrNull(f.currency), occurredAt: str(f.occurredAt),
  sourceEventId: strOrNull(f.sourceEventId),
  ...messageFields(f.messageId as string | null | undefined, list<InteractionEdit>(f.edits), Boolean(f.deleted)),
});

export const dealRecord = (f: Fields): Deal => ({
  tenant: str(f.tenant), id: Number(f.id), customerId: Number(f.customerId), title: str(f.title), amountMinor: Number(f.amountMinor),
  currency: str(f.currency), stage: str(f.stage), probability: Number(f.probability), owner: str(f.owner),
  expectedClose: strOrNull(f.expectedClose), closedAt: strOrNull(f.closedAt), lostReason: strOrNull(f.lostReason),
  history: list<StageChange>(f.history), createdAt: str(f.createdAt), updatedAt: str(f.updatedAt),
});

export const caseRecord = (f: Fields): Case => ({
  tenant: str(f.tenant), id: Number(f.id), customerId: Number(f.customerId), kind: str(f.kind), owner: strOrNull(f.owner),
  status: f.status as Case['status'], summary: str(f.summary), dueAt: strOrNull(f.dueAt), openedAt: str(f.openedAt),
  closedAt: strOrNull(f.closedAt), closedBy: strOrNull(f.closedBy), resolution: strOrNull(f.resolution),
  firstResponseAt: strOrNull(f.firstResponseAt),
});

export const mergeRecord = (f: Fields): MergeRecord => ({
  tenant: str(f.tenant), id: Number(f.id), fromId: Number(f.fromId), intoId: Number(f.intoId),
  identities: list(f.identities), interactionIds: list(f.interactionIds), dealIds: list(f.dealIds),
  by: str(f.by), at: str(f.at), undoneAt: strOrNull(f.undoneAt),
});

export const outboxRecord = (f: Fields): OutboxItem => ({
  id: Number(f.id), tenant: str(f.tenant), platform: f.platform as Platform, target: str(f.target), reply: f.reply as OutboxItem['reply'],
  status: f.status as OutboxItem['status'], attempts: Number(f.attempts), nextAttemptAt: str(f.nextAttemptAt),
  leaseHolder: strOrNull(f.leaseHolder), leaseUntil: strOrNull(f.leaseUntil), idempotencyKey: str(f.idempotencyKey),
  lastError: strOrNull(f.lastError), createdAt: str(f.createdAt), sentAt: strOrNull(f.sentAt),
  parts: (f.parts as OutboxItem['parts']) ?? {},
});

/** A new customer: a lead that may be surveyed but not marketed to until it says so. */
export const newCustomer = (tenant: string, id: number, input: NewCustomer, now: string): Customer => ({
  tenant, id, name: input.name, company: input.company ?? null, emails: input.emails ?? [], phones: input.phones ?? [],
  tags: input.tags ?? [], owner: input.owner ?? null, lifecycle: input.lifecycle ?? 'lead',
  consent: { marketing: false, surveys: true, updatedAt: now }, mergedInto: null, createdAt: now, updatedAt: now,
});

/** What an erasure leaves of a customer: a placeholder name and no contact data, tags or consent. */
export const erasedCustomer = (id: number, now: string) => ({
  name: `Erased C-${id}`, company: null, emails: [] as string[], phones: [] as string[], tags: [] as string[],
  consent: { marketing: false, surveys: false, updatedAt: now }, updatedAt: now,
});

/** A new deal, open, its history starting with the stage it was created in. */
export const newDeal = (tenant: string, id: number, input: NewDeal, by: string, now: string): Deal => ({
  tenant, id, customerId: input.customerId, title: input.title, amountMinor: input.amountMinor, currency: input.currency,
  stage: input.stage, probability: input.probability, owner: input.owner, expectedClose: input.expectedClose,
  closedAt: null, lostReason: null, history: [{ stage: input.stage, at: now, by }], createdAt: now, updatedAt: now,
});

/** The fields a stage move sets, and the entry it appends to the history. */
export const stageMove = (change: StageChange & { probability: number; closed: boolean; lostReason?: string | null }) => ({
  set: {
    stage: change.stage, probability: change.probability, updatedAt: change.at,
    closedAt: change.closed ? change.at : null, lostReason: change.lostReason ?? null,
  },
  entry: { stage: change.stage, at: change.at, by: change.by, ...(change.sourceEventId ? { sourceEventId: change.sourceEventId } : {}) } satisfies StageChange,
});

/** A new case, open. */
export const newCase = (tenant: string, id: number, input: NewCase, now: string): Case => ({
  tenant, id, customerId: input.customerId, kind: input.kind, owner: input.owner, status: 'open', summary: input.summary,
  dueAt: input.dueAt, openedAt: now, closedAt: null, closedBy: null, resolution: null, firstResponseAt: null,
});

/**
 * The fields closing a case sets; `firstResponseAt` applies only where none was recorded: a resolution is the
 * first response when nobody answered before, a close without one is none.
 */
export const caseClosing = (now: string, resolved?: { by: string; resolution: string }) => ({
  set: { status: 'closed' as const, closedAt: now, closedBy: resolved?.by ?? null, resolution: resolved?.resolution ?? null },
  firstResponseAt: resolved ? now : null,
});

/** The record of a merge, with what moved so it can be undone. */
export const newMerge = (
  tenant: string, id: number, fromId: number, intoId: number,
  moved: Pick<MergeRecord, 'identities' | 'interactionIds' | 'dealIds'>, by: string, now: string,
): MergeRecord => ({ tenant, id, fromId, intoId, ...moved, by, at: now, undoneAt: null });

/** A message queued for sending, due at `notBefore` or now, never tried; the engine assigns its id. */
export const queuedOutbox = (tenant: string, input: Parameters<OutboxRepo['enqueue']>[0], now: string): Omit<OutboxItem, 'id'> => ({
  tenant, platform: input.platform, target: input.target, reply: input.reply, status: 'pending', attempts: 0,
  nextAttemptAt: input.notBefore ?? now, leaseHolder: null, leaseUntil: null, idempotencyKey: input.idempotencyKey,
  lastError: null, createdAt: now, sentAt: null, parts: {},
});
