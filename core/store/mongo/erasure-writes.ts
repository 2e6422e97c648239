import type { ErasurePlan } from '../port.js';
import { anyOfFilter, escapeRegex, trusted } from './filters.js';
import { erasedCasesUpdate, erasedInteractionsUpdate, erasureUpdate } from './updates.js';

const ERASED = 'erased';

type D = Record<string, unknown>;
type Collection = 'Customer' | 'Interaction' | 'Identity' | 'Case' | 'Deal' | 'Merge' | 'Spend' | 'Outbox' | 'LedgerEntry' | 'EventLog';

/** One write of an erasure: a filter and, unless it deletes, an update (a pipeline when an array) with its array filters. */
export type ErasureWrite =
  | { on: Collection; op: 'deleteMany'; filter: D }
  | { on: Collection; op: 'updateOne' | 'updateMany'; filter: D; update: D | D[]; arrayFilters?: D[] };

/** Case-insensitive, literal matches of any needle. */
const mentions = (needles: string[]) => trusted({ $in: needles.map((n) => new RegExp(escapeRegex(n), 'i')) });

/** A filter for outbox items whose reply text or fields name any needle (case-insensitive, literal). */
export function replyMentions(tenant: string, needles: string[]) {
  const any = mentions(needles);
  return { tenant, $or: [{ 'reply.text': any }, { 'reply.fields.value': any }, { 'reply.fields.label': any }] };
}

/** Paths in event payloads that name a customer record or a person's identity (see core/events/bus.ts). */
const CUSTOMER_PATHS = ['customer.id', 'customerId', 'interaction.customerId', 'deal.customerId', 'case.customerId', 'actor.customerId'];
const IDENTITY_PATHS = ['actor.identity', 'interaction.identity', 'by'];
const TEXT_PATHS = ['customer.name', 'customer.company', 'customer.emails', 'interaction.text', 'actor.displayName', 'deal.title', 'case.summary'];

/** The events about a forgotten person: by record, by identity, or a text field naming them. */
export function eventErasureFilter(tenant: string, customerIds: number[], identities: string[], needles: string[]): D {
  return {
    tenant,
    $or: [
      ...CUSTOMER_PATHS.map((p) => ({ [`payload.${p}`]: trusted({ $in: customerIds.map(Number) }) })),
      ...IDENTITY_PATHS.map((p) => ({ [`payload.${p}`]: trusted({ $in: identities.map(String) }) })),
      ...(needles.length ? TEXT_PATHS.map((p) => ({ [`payload.${p}`]: mentions(needles) })) : []),
    ],
  };
}

/** Merges from or into any of the customers. */
export const mergesOfFilter = (tenant: string, customerIds: number[]) =>
  ({ tenant, $or: [{ fromId: trusted({ $in: customerIds.map(Number) }) }, { intoId: trusted({ $in: customerIds.map(Number) }) }] });

/** A deal's title back to its number (an update pipeline: the number comes from the document). */
const titleByNumber = (extra: D = {}) => [{ $set: { title: { $concat: ['Deal D-', { $toString: '$id' }] }, ...extra } }];

/**
 * Every write that forgets a person, in order, as pure data (the same as the SQLite erasure): the customers
 * anonymised, the identities and their texts gone, their names on others' records replaced by `erased`, and
 * whatever text names them (identities and the given words of three letters or more).
 */
export function erasureWrites(tenant: string, plan: ErasurePlan, words: string[], now: string): ErasureWrite[] {
  const c = plan.customerIds;
  const ids = plan.identities;
  const ofCustomers = (field: string) => anyOfFilter(tenant, field, c);
  const ofPeople = (field: string) => anyOfFilter(tenant, field, ids);
  const customerOrPerson = { tenant, $or: [{ customerId: trusted({ $in: c }) }, { identity: trusted({ $in: ids }) }] };
  const needles = [...ids, ...words].map((w) => w.trim()).filter((w) => w.length >= 3);
  return [
    ...c.map((id): ErasureWrite => ({ on: 'Customer', op: 'updateOne', filter: { tenant, id }, update: erasureUpdate(id, now) })),
    { on: 'Interaction', op: 'updateMany', filter: customerOrPerson, update: erasedInteractionsUpdate() },
    { on: 'Identity', op: 'deleteMany', filter: customerOrPerson },
    { on: 'Case', op: 'updateMany', filter: ofCustomers('customerId'), update: erasedCasesUpdate() },
    { on: 'Case', op: 'updateMany', filter: ofPeople('owner'), update: { $set: { owner: null } } },
    { on: 'Deal', op: 'updateMany', filter: ofCustomers('customerId'), update: titleByNumber({ lostReason: null }) },
    { on: 'Deal', op: 'updateMany', filter: ofPeople('owner'), update: { $set: { owner: ERASED } } },
    { on: 'Deal', op: 'updateMany', filter: ofPeople('history.by'), update: { $set: { 'history.$[h].by': ERASED } }, arrayFilters: [{ 'h.by': trusted({ $in: ids }) }] },
    { on: 'Merge', op: 'updateMany', filter: mergesOfFilter(tenant, c), update: { $set: { identities: [] } } },
    { on: 'Merge', op: 'updateMany', filter: ofPeople('by'), update: { $set: { by: ERASED } } },
    { on: 'Customer', op: 'updateMany', filter: ofPeople('owner'), update: { $set: { owner: null } } },
    { on: 'Spend', op: 'updateMany', filter: ofPeople('by'), update: { $set: { by: ERASED } } },
    { on: 'Outbox', op: 'deleteMany', filter: ofPeople('target') },
    ...['data.by', 'data.approvedBy'].map((field): ErasureWrite => ({ on: 'LedgerEntry', op: 'updateMany', filter: ofPeople(field), update: { $set: { [field]: ERASED } } })),
    { on: 'EventLog', op: 'deleteMany', filter: eventErasureFilter(tenant, c, ids, needles) },
    ...(needles.length
      ? [
        { on: 'Outbox', op: 'updateMany', filter: replyMentions(tenant, needles), update: { $set: { reply: { text: '(erased)' } } } },
        { on: 'Deal', op: 'updateMany', filter: { tenant, title: mentions(needles) }, update: titleByNumber() },
        { on: 'Deal', op: 'updateMany', filter: { tenant, lostReason: mentions(needles) }, update: { $set: { lostReason: null } } },
      ] satisfies ErasureWrite[]
      : []),
  ];
}
