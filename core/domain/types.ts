/** Domain model shared by every engine, adapter and plugin. Money is kept in minor units (cents). */

export const PLATFORMS = ['slack', 'discord', 'telegram', 'web'] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ROLES = ['admin', 'manager', 'rep', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export const INTERACTION_TYPES = [
  'message', 'call', 'meeting', 'email', 'note', 'complaint', 'purchase', 'survey_response', 'mention',
] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export interface Consent {
  marketing: boolean;
  surveys: boolean;
  updatedAt: string;
}

export interface Customer {
  tenant: string;
  id: number;
  name: string;
  company: string | null;
  emails: string[];
  phones: string[];
  tags: string[];
  owner: string | null;
  lifecycle: string;
  consent: Consent;
  mergedInto: number | null;
  createdAt: string;
  updatedAt: string;
}

export type NewCustomer = Pick<Customer, 'name'> & Partial<Pick<Customer, 'company' | 'emails' | 'phones' | 'tags' | 'owner' | 'lifecycle'>> & CreatedBy;

/**
 * `platform:eventId` of the inbound event whose command creates a record: creating again under the same key
 * returns the record already there, so a command replayed after a crash creates nothing new. Not part of the record.
 */
export interface CreatedBy {
  sourceEventId?: string | null;
}

/** One chat identity (`slack:T1:U1`, `web:alice`) and what we know of it. */
export interface IdentityLink {
  tenant: string;
  identity: string;
  platform: Platform;
  displayName: string;
  role: Role;
  customerId: number | null;
  verified: boolean;
  locale: string | null;
  timezone: string | null;
  reachable: boolean;
  lastSeenAt: string;
  createdAt: string;
}

export interface Interaction {
  tenant: string;
  id: number;
  /** Null for staff messages that belong to no customer record. */
  customerId: number | null;
  identity: string | null;
  type: InteractionType;
  channel: string;
  direction: 'in' | 'out';
  text: string;
  amountMinor: number | null;
  currency: string | null;
  occurredAt: string;
  sourceEventId: string | null;
  /** `<platform>:<platform message id>` of a chat message, so a later edit or deletion finds it. */
  messageId?: string | null;
  /** Earlier texts of an edited message, oldest first. */
  edits?: InteractionEdit[];
  /** The author deleted the message: its text (and edit history) are blanked. */
  deleted?: boolean;
}

export interface InteractionEdit {
  text: string;
  at: string;
}

/** What a platform said happened to an earlier message. */
export type MessageChange = { kind: 'changed'; text: string; at: string } | { kind: 'deleted'; at: string };

export type NewInteraction = Omit<Interaction, 'tenant' | 'id' | 'edits' | 'deleted'>;

export interface StageChange {
  stage: string;
  at: string;
  by: string;
  /** The inbound event whose command made the move: its replay after a crash finds the move already made. */
  sourceEventId?: string;
}

export interface Deal {
  tenant: string;
  id: number;
  customerId: number;
  title: string;
  amountMinor: number;
  currency: string;
  stage: string;
  probability: number;
  owner: string;
  expectedClose: string | null;
  closedAt: string | null;
  lostReason: string | null;
  history: StageChange[];
  createdAt: string;
  updatedAt: string;
}

export type NewDeal = Omit<Deal, 'tenant' | 'id' | 'history' | 'createdAt' | 'updatedAt' | 'closedAt' | 'lostReason'> & CreatedBy;

/** A merge of one customer into another, kept so it can be undone. */
export interface MergeRecord {
  tenant: string;
  id: number;
  fromId: number;
  intoId: number;
  identities: string[];
  interactionIds: number[];
  dealIds: number[];
  by: string;
  at: string;
  undoneAt: string | null;
}

export interface Case {
  tenant: string;
  id: number;
  customerId: number;
  kind: string;
  owner: string | null;
  status: 'open' | 'closed';
  summary: string;
  dueAt: string | null;
  openedAt: string;
  closedAt: string | null;
  /** Who closed it and how (`/customer resolve`); absent on cases closed before these were recorded. */
  closedBy?: string | null;
  resolution?: string | null;
  /** First staff action for the customer after the case opened (an activity logged, or the resolution). */
  firstResponseAt?: string | null;
}

export type NewCase = Pick<Case, 'customerId' | 'kind' | 'owner' | 'summary' | 'dueAt'> & CreatedBy;
