import type { Case, Customer, Deal, IdentityLink, Interaction, InteractionType, MergeRecord, Platform, Role } from '../../domain/types.js';
import type { OutboxItem } from '../port.js';
import { messageFields } from '../../domain/message-change.js';
import { partsOf } from './outbox-parts.js';

/** Stored rows to port records: JSON columns parsed, snake_case columns to the port's names. */
export type Row = Record<string, unknown>;
export const json = (v: unknown) => JSON.stringify(v);
export const parse = <T>(v: unknown): T => JSON.parse(String(v)) as T;

export function toCustomer(r: Row): Customer {
  return {
    tenant: String(r.tenant), id: Number(r.id), name: String(r.name), company: (r.company as string) ?? null,
    emails: parse(r.emails), phones: parse(r.phones), tags: parse(r.tags), owner: (r.owner as string) ?? null,
    lifecycle: String(r.lifecycle), consent: parse(r.consent), mergedInto: (r.merged_into as number) ?? null,
    createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

export function toIdentity(r: Row): IdentityLink {
  return {
    tenant: String(r.tenant), identity: String(r.identity), platform: r.platform as Platform,
    displayName: String(r.display_name), role: r.role as Role, customerId: (r.customer_id as number) ?? null,
    verified: Boolean(r.verified), locale: (r.locale as string) ?? null, timezone: (r.timezone as string) ?? null,
    reachable: Boolean(r.reachable), lastSeenAt: String(r.last_seen_at), createdAt: String(r.created_at),
  };
}

export function toInteraction(r: Row): Interaction {
  return {
    tenant: String(r.tenant), id: Number(r.id), customerId: (r.customer_id as number) ?? null, identity: (r.identity as string) ?? null,
    type: r.type as InteractionType, channel: String(r.channel), direction: r.direction as 'in' | 'out',
    text: String(r.text), amountMinor: (r.amount_minor as number) ?? null, currency: (r.currency as string) ?? null,
    occurredAt: String(r.occurred_at), sourceEventId: (r.source_event_id as string) ?? null,
    ...messageFields(r.message_id as string | null, r.edits ? parse(r.edits) : [], Boolean(r.deleted)),
  };
}

export function toDeal(r: Row): Deal {
  return {
    tenant: String(r.tenant), id: Number(r.id), customerId: Number(r.customer_id), title: String(r.title),
    amountMinor: Number(r.amount_minor), currency: String(r.currency), stage: String(r.stage),
    probability: Number(r.probability), owner: String(r.owner), expectedClose: (r.expected_close as string) ?? null,
    closedAt: (r.closed_at as string) ?? null, lostReason: (r.lost_reason as string) ?? null,
    history: parse(r.history), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

export function toCase(r: Row): Case {
  return {
    tenant: String(r.tenant), id: Number(r.id), customerId: Number(r.customer_id), kind: String(r.kind),
    owner: (r.owner as string) ?? null, status: r.status as Case['status'], summary: String(r.summary),
    dueAt: (r.due_at as string) ?? null, openedAt: String(r.opened_at), closedAt: (r.closed_at as string) ?? null,
    closedBy: (r.closed_by as string) ?? null, resolution: (r.resolution as string) ?? null, firstResponseAt: (r.first_response_at as string) ?? null,
  };
}

export function toMerge(r: Row): MergeRecord {
  return {
    tenant: String(r.tenant), id: Number(r.id), fromId: Number(r.from_id), intoId: Number(r.into_id),
    identities: parse(r.identities), interactionIds: parse(r.interaction_ids), dealIds: parse(r.deal_ids),
    by: String(r.by), at: String(r.at), undoneAt: (r.undone_at as string) ?? null,
  };
}

export function toOutbox(r: Row): OutboxItem {
  return {
    id: Number(r.id), tenant: String(r.tenant), platform: r.platform as Platform, target: String(r.target),
    reply: parse(r.reply), status: r.status as OutboxItem['status'], attempts: Number(r.attempts),
    nextAttemptAt: String(r.next_attempt_at), leaseHolder: (r.lease_holder as string) ?? null,
    leaseUntil: (r.lease_until as string) ?? null, idempotencyKey: String(r.idempotency_key),
    lastError: (r.last_error as string) ?? null, createdAt: String(r.created_at), sentAt: (r.sent_at as string) ?? null,
    parts: partsOf(r.parts),
  };
}
