import type {
  Case, Customer, Deal, IdentityLink, Interaction, InteractionType, MergeRecord, NewCase, NewCustomer, NewDeal,
  MessageChange, NewInteraction, Platform, Role, StageChange,
} from '../domain/types.js';
import type { Reply } from '../chat/reply.js';
import type { Reporting, RfmScore } from '../kpi/rfm.js';

/**
 * The storage port. Everything about one tenant hangs off `store.tenant(id)`, so no repository call
 * can reach across tenants; `store.system` holds what is not owned by a tenant (dedupe, job ticks, the
 * outbox queue the worker drains).
 */
export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  tenant(id: string): TenantStore;
  readonly system: SystemStore;
  /** Problems the engine finds in its own files (SQLite integrity check); empty when healthy. */
  verify(): Promise<string[]>;
  /** One small write; throws the engine's own error when the store cannot write. */
  probeWrite(now: string): Promise<void>;
  /**
   * Creates, where missing, an index per field list over one plugin collection's documents (leading tenant, then
   * the fields in order; only that collection's documents are entered); never drops one. Returns the index names.
   */
  ensureDocIndexes(plugin: string, collection: string, indexes: readonly (readonly string[])[]): Promise<string[]>;
  close(): Promise<void>;
}

export interface TenantStore {
  readonly tenant: string;
  readonly customers: CustomerRepo;
  readonly identities: IdentityRepo;
  readonly interactions: InteractionRepo;
  readonly deals: DealRepo;
  readonly cases: CaseRepo;
  readonly analytics: AnalyticsRepo;
  readonly spend: SpendRepo;
  readonly outbox: OutboxRepo;
  /** A plugin's own documents, namespaced by plugin id and collection name. */
  docs<T extends { id: string }>(plugin: string, collection: string): DocCollection<T>;
  /** A plugin's append-only ledger (points, stock): atomic, idempotent, guarded appends. */
  ledger(plugin: string, name: string): Ledger;
  readonly bulk: BulkRepo;
  readonly webAccess: WebAccessRepo;
  readonly idempotency: IdempotencyRepo;
  readonly erasure: ErasureRepo;
  readonly events: EventLogRepo;
}

/** Everything to remove of one person: their records (theirs and merged into theirs) and identities. */
export interface ErasurePlan {
  customerIds: number[];
  identities: string[];
}

/** Forgetting a person across every core table, beyond their own rows (see `erase`). */
export interface ErasureRepo {
  /**
   * The person's whole footprint starting from one record: it and every record merged into it (at any
   * depth), every identity those records have, and every identity a merge record lists for them.
   */
  footprint(customerId: number): Promise<ErasurePlan>;
  /**
   * In one atomic step: anonymises each record; deletes their identities, outbox messages to those
   * identities and messages whose text names them; blanks their interaction texts, case summaries,
   * deal titles and lost reasons; empties the identity lists of their merge records; and replaces their
   * identities where staff fields hold them (owners, deal history, spend, ledger `by`) with "erased".
   */
  erase(plan: ErasurePlan, words: string[], now: string): Promise<void>;
}

export interface BulkRecords {
  customers: Customer;
  interactions: Interaction;
  deals: Deal;
  cases: Case;
}
export type BulkKind = keyof BulkRecords;

/** Whole books of business in and out: a migration from another CRM, a backup, a benchmark. */
export interface BulkRepo {
  /** Writes records with their own ids in one atomic step; id counters move past the highest id. */
  import(batch: { [K in BulkKind]?: BulkRecords[K][] }): Promise<void>;
  /** Every record of a kind, by id, a page at a time. */
  page<K extends BulkKind>(kind: K, afterId: number, limit: number): Promise<BulkRecords[K][]>;
}

export interface CustomerRepo {
  create(input: NewCustomer, now: string, events?: EventsOf<Customer>): Promise<Customer>;
  get(id: number): Promise<Customer | null>;
  /** The customer created under an inbound event's key (`create` with `sourceEventId`), or null. */
  createdBy(sourceEventId: string): Promise<Customer | null>;
  /** Exact, case-insensitive name match (merged-away customers excluded). */
  findByName(name: string): Promise<Customer[]>;
  /** Substring match on name, company and e-mail, case-insensitive. */
  search(text: string, limit: number): Promise<Customer[]>;
  update(id: number, patch: Partial<Omit<Customer, 'tenant' | 'id' | 'createdAt'>>, now: string): Promise<Customer | null>;
  count(): Promise<number>;
  countCreatedBetween(from: string, to: string): Promise<number>;
  /** Keyset paging by id (merged-away customers excluded): bounded memory over any number of customers. */
  page(afterId: number, limit: number): Promise<Customer[]>;
  /** Moves identities, interactions and deals of `fromId` to `intoId`, keeping a record to undo it. */
  merge(fromId: number, intoId: number, by: string, now: string): Promise<MergeRecord>;
  unmerge(mergeId: number, now: string): Promise<MergeRecord | null>;
  /** Removes personal data (name, contacts, texts) and every identity link, keeping anonymous aggregates. */
  anonymise(id: number, now: string): Promise<boolean>;
}

export interface IdentityRepo {
  get(identity: string): Promise<IdentityLink | null>;
  /** The identity and the document a plugin collection keeps under its name (the role granted with /crm role), read in one step. */
  getWithDoc<T extends { id: string }>(identity: string, plugin: string, collection: string): Promise<{ link: IdentityLink | null; doc: T | null }>;
  /** Creates the link on first contact; later calls refresh display name and last-seen. */
  /** A `timezone` from the platform is kept only while none is recorded: one set with `/crm timezone` stands. */
  touch(input: { identity: string; platform: Platform; displayName: string; role: Role; customerId: number | null; locale: string | null; timezone?: string | null }, now: string): Promise<IdentityLink>;
  /** The person's own IANA zone (already validated), or null to follow the tenant's again. */
  setTimezone(identity: string, timezone: string | null): Promise<IdentityLink | null>;
  setRole(identity: string, role: Role): Promise<IdentityLink | null>;
  attach(identity: string, customerId: number | null): Promise<IdentityLink | null>;
  setReachable(identity: string, reachable: boolean): Promise<void>;
  listForCustomer(customerId: number): Promise<IdentityLink[]>;
}

export interface InteractionRepo {
  /** Idempotent on `sourceEventId`: a retried platform event is stored once. */
  add(input: NewInteraction, events?: EventsOf<{ interaction: Interaction; created: boolean }>): Promise<{ interaction: Interaction; created: boolean }>;
  listForCustomer(customerId: number, limit: number): Promise<Interaction[]>;
  countByType(customerId: number): Promise<Partial<Record<InteractionType, number>>>;
  /**
   * Applies a platform edit to the stored message(s) with this `messageId`: `changed` replaces the text and
   * appends the previous one to `edits`; `deleted` blanks text and history and flags it. A deleted or unknown
   * message is left alone. Returns how many interactions changed.
   */
  applyMessageChange(messageId: string, change: MessageChange): Promise<number>;
  /** Deletes the interaction recorded under this sourceEventId (a won deal's purchase when the deal is reopened); false when none. */
  withdraw(sourceEventId: string): Promise<boolean>;
}

export interface DealFilter {
  owner?: string;
  stage?: string;
  customerId?: number;
  open?: boolean;
}

export interface DealRepo {
  create(input: NewDeal, by: string, now: string, events?: EventsOf<Deal>): Promise<Deal>;
  get(id: number): Promise<Deal | null>;
  /** Moves to a stage, appending to the history in the same atomic write. */
  moveStage(id: number, change: StageChange & { probability: number; closed: boolean; lostReason?: string | null }, events?: EventsOf<Deal>): Promise<Deal | null>;
  list(filter: DealFilter, limit: number): Promise<Deal[]>;
}

export interface CaseRepo {
  open(input: NewCase, now: string, events?: EventsOf<Case>): Promise<Case>;
  close(id: number, now: string, resolved?: { by: string; resolution: string }, events?: EventsOf<Case>): Promise<Case | null>;
  listOpen(customerId?: number): Promise<Case[]>;
  get(id: number): Promise<Case | null>;
  /** Records the first response to the customer's open cases opened at or before `at`; later calls keep the first. */
  respond(customerId: number, at: string): Promise<number>;
  /** Cases of one customer and/or opened in [openedFrom, openedTo), by id. */
  list(filter: CaseFilter, limit: number): Promise<Case[]>;
}

export interface CaseFilter {
  customerId?: number;
  kind?: string;
  openedFrom?: string;
  openedTo?: string;
}

/** Per-customer purchase figures and quintile scores, computed inside the engine by the same rule as core/kpi/rfm.ts. */
export type RfmRow = RfmScore;

export interface StageTotal {
  stage: string;
  count: number;
  totalMinor: number;
}

export interface ClosedDealStats {
  won: number;
  lost: number;
  wonTotalMinor: number;
  /** Sum over won deals of days from creation to close. */
  wonCycleDays: number;
}

/**
 * Digest aggregates. `bounds` are ascending ISO instants; bucket i is [bounds[i], bounds[i+1]).
 * `owner` narrows to one rep's book (customers, and their interactions, owned by that identity; deals
 * owned by it); null is the whole company.
 */
export interface CustomersCreated {
  perBucket: number[];
  /** Customers created before the last bound. */
  total: number;
}

export interface CustomerActivity {
  /** Customers with any interaction in [from, to). */
  active: number;
  /** Customers with a purchase in the churn window before `from` / before `to`. */
  baseAtStart: number;
  baseAtEnd: number;
  /** Customers whose first purchase falls in [from, to). */
  newBuyers: number;
  /**
   * Purchase revenue in the 365 days before `to`, per currency (sorted by code; null: recorded without one, i.e. the
   * reporting currency), never summed across currencies: the caller converts. Distinct purchasing customers in them.
   */
  yearRevenue: { currency: string | null; minor: number }[];
  yearBuyers: number;
}

export interface PurchaseFacts {
  customerId: number;
  firstPurchaseAt: string;
  lastPurchaseAt: string;
  lastInteractionAt: string | null;
}

export interface SurveyScoreCount {
  bucket: number;
  kind: 'nps' | 'csat' | 'ces';
  score: number;
  count: number;
}

export interface MentionDigest {
  perBucket: { negative: number; neutral: number; positive: number }[];
  /** The most recent negative mention of the last bucket. */
  latestNegative: { customerId: number | null; text: string; occurredAt: string } | null;
}

export interface OpenDeals {
  stages: StageTotal[];
}

export interface AnalyticsRepo {
  /** Monetary in `money.currency`, converted with `money.fx` (a tenant's settings fit); spend without a rate kept apart. */
  rfm(asOf: string, money: Reporting): Promise<RfmRow[]>;
  /** RFM at each of `asOfs` in one read of the purchases: one list per as-of date, in the order given. */
  rfmAt(asOfs: string[], money: Reporting): Promise<RfmRow[][]>;
  rfmFor(customerId: number, asOf: string, money: Reporting): Promise<RfmRow | null>;
  /** Every currency any deal of the tenant is in, sorted: what the per-currency aggregates are asked for. */
  dealCurrencies(): Promise<string[]>;
  pipeline(currency: string): Promise<StageTotal[]>;
  closedSince(since: string, currency: string): Promise<ClosedDealStats>;
  // Digest aggregates (see the types above).
  customersCreated(bounds: string[], owner: string | null): Promise<CustomersCreated>;
  customerActivity(from: string, to: string, churnWindowDays: number, owner: string | null): Promise<CustomerActivity>;
  /** Customer activity of several periods in one read of the purchases: one result per period, in the order given. */
  customerActivityAt(periods: { from: string; to: string }[], churnWindowDays: number, owner: string | null): Promise<CustomerActivity[]>;
  /** Per purchasing customer before `asOf`, ordered by id: what the lifecycle stage is computed from. */
  purchaseFacts(asOf: string, owner: string | null): Promise<PurchaseFacts[]>;
  /**
   * Histogram of parseable survey answers per bucket, kind and score, counting the latest answer per person
   * per survey in each bucket (CRM-METHOD: one answer per person per survey); `survey` narrows to one survey
   * (a sourceEventId prefix, see surveySourcePrefix).
   */
  surveyScores(bounds: string[], owner: string | null, survey?: string | null): Promise<SurveyScoreCount[]>;
  mentionDigest(bounds: string[], owner: string | null): Promise<MentionDigest>;
  /** Deals in `currency` closed per bucket. */
  closedPerBucket(bounds: string[], currency: string, owner: string | null): Promise<ClosedDealStats[]>;
  openDeals(currency: string, owner: string | null): Promise<OpenDeals>;
}

export interface SpendRepo {
  record(month: string, amountMinor: number, currency: string, by: string, now: string): Promise<void>;
  total(fromMonth: string, toMonth: string): Promise<number>;
}

export type OutboxStatus = 'pending' | 'sent' | 'dead';

export interface OutboxItem {
  id: number;
  tenant: string;
  platform: Platform;
  /** An identity (a DM) or a platform channel id prefixed by `channel:`. */
  target: string;
  reply: Reply;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  leaseHolder: string | null;
  leaseUntil: string | null;
  idempotencyKey: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Parts of a reply sent in several platform calls already delivered: part key -> platform reference (message id), if any. */
  parts?: Record<string, string | null>;
}

export interface OutboxRepo {
  /**
   * Queues a message once per idempotency key; returns false when it was already queued. It is due from
   * `notBefore` when given (the platform asked to wait), else from `now`.
   */
  enqueue(input: { platform: Platform; target: string; reply: Reply; idempotencyKey: string; notBefore?: string }, now: string): Promise<boolean>;
  /** What was delivered to a target, oldest first. */
  delivered(target: string, limit: number): Promise<OutboxItem[]>;
}

export interface SystemStore {
  /** True the first time a platform event key is seen, false for every retry. */
  firstSeen(key: string, now: string): Promise<boolean>;
  /** True for exactly one caller per (job, tick). */
  claimTick(job: string, tick: string, holder: string, now: string): Promise<boolean>;
  lastTick(job: string): Promise<string | null>;
  /** Gives back a claimed tick its holder could not finish (shutdown), so another process re-runs it; false when not held by `holder`. */
  releaseTick(job: string, tick: string, holder: string): Promise<boolean>;
  /** Claims the oldest released tick of a job for `holder`; null when none is waiting. */
  claimReleasedTick(job: string, holder: string, now: string): Promise<string | null>;
  /** Forgets event keys first seen before `before`; returns how many went. */
  pruneSeen(before: string): Promise<number>;
  outbox: OutboxQueue;
  rateBuckets: RateBucketRepo;
  subscriptions: SubscriptionRepo;
  /** Calls `onAppend` whenever any process appends to an event log (a change stream); null when the engine has none (poll). */
  watchEvents(onAppend: () => void): (() => Promise<void>) | null;
  inbox: InboxQueue;
}

export type RateKind = 'identity' | 'source';

/** One bucket after a spend: whether a token was taken, and how many are left. */
export interface BucketState {
  spent: boolean;
  tokens: number;
}

/**
 * Token buckets shared by every process (times in epoch milliseconds). A bucket holds `perMinute` tokens
 * and refills evenly over a minute, so one untouched for a minute is full and may be forgotten.
 */
export interface RateBucketRepo {
  /**
   * Refills `key`'s bucket to `now` and takes a token if one is there, in one atomic step. A key without
   * a bucket gets one only while fewer than `maxKeys` of its kind were used in the last minute; else null.
   */
  spend(kind: RateKind, key: string, perMinute: number, maxKeys: number, now: number): Promise<BucketState | null>;
  /** Gives back the token just taken (the event was refused by its other bucket). */
  refund(kind: RateKind, key: string, perMinute: number): Promise<void>;
  /** True for one caller per minute for an existing bucket: whether to send the polite message now. */
  tell(kind: RateKind, key: string, now: number): Promise<boolean>;
  /** Buckets of a kind used in the last minute. */
  live(kind: RateKind, now: number): Promise<number>;
  /** Forgets buckets untouched for a minute (full again); returns how many went. */
  prune(now: number): Promise<number>;
}

/** A request acknowledged to a platform, kept until it is handled so a crash after the ack loses nothing. */
export interface InboxItem {
  id: string;
  /** The normalized event as JSON. */
  event: string;
  holder: string;
  /** Until then the holder is working on it; after, anyone may take it over. */
  leaseUntil: string;
}

export interface InboxQueue {
  /** Records accepted requests in one write; an id already recorded stays as it was. */
  append(items: InboxItem[]): Promise<void>;
  /** Handled: never replayed. */
  done(ids: string[]): Promise<void>;
  /** Takes over, oldest first, requests whose lease ran out (their process died or stalled). */
  claimStale(holder: string, now: string, leaseUntil: string, limit: number): Promise<InboxItem[]>;
  /** Moves the lease of requests `holder` still works on. */
  extend(ids: string[], holder: string, leaseUntil: string): Promise<void>;
}

export interface OutboxQueue {
  /** Leases due items (pending and due, or whose lease ran out) to one holder. */
  claim(holder: string, now: string, leaseMs: number, limit: number, platforms: Platform[]): Promise<OutboxItem[]>;
  markSent(id: number, holder: string, now: string): Promise<boolean>;
  retryAt(id: number, holder: string, at: string, error: string): Promise<boolean>;
  /** Hands an item back unsent without counting the attempt (our own pacing, not a failure). */
  postpone(id: number, holder: string, at: string): Promise<boolean>;
  markDead(id: number, holder: string, error: string): Promise<boolean>;
  /** Records one delivered part of a multi-call send, so a retry skips it; false when `holder` no longer holds the item. */
  markPart(id: number, holder: string, part: string, ref: string | null): Promise<boolean>;
  release(holder: string): Promise<number>;
  depth(): Promise<Partial<Record<Platform, number>>>;
}

export type Where = Record<string, string | number | boolean | null>;

export interface DocCollection<T extends { id: string }> {
  put(doc: T): Promise<void>;
  /** Inserts unless the id exists; false when it existed (idempotent writes). */
  insertIfAbsent(doc: T): Promise<boolean>;
  get(id: string): Promise<T | null>;
  find(where: Where, opts?: { limit?: number; orderBy?: string; desc?: boolean }): Promise<T[]>;
  delete(id: string): Promise<boolean>;
  deleteWhere(where: Where): Promise<number>;
  /** Adds `by` to a numeric field in one atomic step (a missing document or field counts from 0); returns the new value. */
  increment(id: string, field: string, by: number): Promise<number>;
  /** Sets the given fields of an existing document in one atomic step; false (and nothing written) when it does not exist. */
  updateIfPresent(id: string, patch: Partial<Omit<T, 'id'>>): Promise<boolean>;
  /** A document with its version, which every write to it raises by one. */
  getVersioned(id: string): Promise<{ doc: T; version: number } | null>;
  /**
   * Sets the given fields in one atomic step, only while the document is at `ifVersion` when given (a
   * read-modify-write that loses to a concurrent writer gets `conflict` and reads again).
   */
  update(id: string, patch: Partial<Omit<T, 'id'>>, opts?: { ifVersion?: number }): Promise<DocUpdate>;
  /** How many documents match, counted by the engine. */
  count(where: Where): Promise<number>;
  /** Keyset paging in id order: the documents after `after` (null: from the start). */
  page(after: string | null, limit: number): Promise<T[]>;
}

export type DocUpdate = { status: 'ok'; version: number } | { status: 'missing' } | { status: 'conflict'; version: number };

export interface LedgerEntry {
  /** Idempotency key: an entry with the same key is written once, whatever the retries. */
  key: string;
  account: string;
  /** Integer change of the account's balance. */
  delta: number;
  kind: string;
  at: string;
  data: Record<string, unknown>;
}

export type AppendResult =
  | { status: 'ok'; balances: Record<string, number> }
  | { status: 'duplicate' }
  | { status: 'insufficient'; account: string; balance: number };

export interface Ledger {
  /**
   * Appends every entry in one atomic step, or none: refused as a duplicate when the first entry's key
   * exists, refused as insufficient when an account with a floor would end below it.
   */
  append(entries: LedgerEntry[], floors?: Record<string, number>): Promise<AppendResult>;
  balance(account: string): Promise<number>;
  entries(account: string, limit?: number): Promise<LedgerEntry[]>;
  /** Entries of every account whose name starts with a prefix, oldest first. */
  entriesByPrefix(prefix: string, limit?: number): Promise<LedgerEntry[]>;
  /** Removes every entry and balance of an account (erasure of a person). */
  eraseAccount(account: string): Promise<number>;
  /**
   * Sum of the deltas of the accounts' entries with `from < at <= to` that match one of `matches`, computed
   * by the engine without loading an entry (a rolling-window figure such as points earned in a year).
   */
  total(accounts: readonly string[], window: { from: string; to: string }, matches: readonly LedgerMatch[]): Promise<number>;
}

/** Entries a ledger total counts: of this kind and, when given, with these string values in their data. */
export interface LedgerMatch {
  kind: string;
  data?: Record<string, string>;
}

/** Sign-in to the public web chat: one-time invite codes and sessions, both stored only as hashes. */
export interface WebAccessRepo {
  addInvite(input: { hash: string; identity: string; expiresAt: string }, now: string): Promise<void>;
  /** Uses a code once: the second use, an expired or an unknown code is refused with its reason. */
  useInvite(hash: string, now: string): Promise<{ status: 'ok'; identity: string } | { status: 'unknown' | 'used' | 'expired' }>;
  addSession(input: { hash: string; identity: string; expiresAt: string }, now: string): Promise<void>;
  /** The live session with this hash, or null when unknown or expired. */
  session(hash: string, now: string): Promise<{ identity: string; expiresAt: string } | null>;
  endSession(hash: string): Promise<boolean>;
  /** Ends every session of an identity; returns how many. */
  endSessions(identity: string): Promise<number>;
  /** Sessions and invite codes of an identity, all deleted (forgetting a person). */
  eraseIdentity(identity: string): Promise<number>;
  /** Deletes expired sessions and codes, and used codes, older than `before`. */
  prune(now: string, before: string): Promise<number>;
}

export type IdempotencyBegin =
  | { state: 'new' }
  | { state: 'running' }
  | { state: 'mismatch' }
  | { state: 'done'; status: number; body: unknown };

/** What a request with an `Idempotency-Key` answered, kept so a retry gets the same answer without a second effect. */
export interface IdempotencyRepo {
  /** Claims (identity, key) for one request: exactly one caller gets 'new'; a key reused for another request is a 'mismatch'. */
  begin(identity: string, key: string, fingerprint: string, now: string, expiredBefore: string): Promise<IdempotencyBegin>;
  finish(identity: string, key: string, status: number, body: unknown): Promise<void>;
  /** Lets the key be tried again (the request had no effect). */
  abandon(identity: string, key: string): Promise<void>;
  prune(before: string): Promise<number>;
}

/** An event to append to the tenant's log in the same atomic write as its fact (see core/events). */
export interface NewEvent {
  name: string;
  payload: unknown;
}
/** The events a fact-writing method appends with its fact, computed from what it wrote (empty: none). */
export type EventsOf<R> = (fact: R) => NewEvent[];

export interface LoggedEvent {
  tenant: string;
  /** Monotonically increasing per tenant, from 1. */
  position: number;
  name: string;
  payload: unknown;
  at: string;
}

/** The tenant's event log: what plugins react to, appended with the facts (or alone) and read in order. */
export interface EventLogRepo {
  /** Appends on its own, in one atomic step, for events that come with no fact of the core. */
  append(events: NewEvent[], now: string): Promise<LoggedEvent[]>;
  /** Events after a position whose name is in `names`, in order. */
  after(position: number, names: string[], limit: number): Promise<LoggedEvent[]>;
  /** The last position appended; 0 when none. */
  head(): Promise<number>;
}

/** One durable subscription's cursor in one tenant's log. */
export interface SubscriptionState {
  name: string;
  tenant: string;
  /** The last position delivered (or skipped). */
  position: number;
  attempts: number;
  /** When the failing event is tried again; null when nothing failed. */
  nextAttemptAt: string | null;
  /** The position that failed last; the one `skip` steps over. */
  failedPosition: number | null;
  lastError: string | null;
  parkedAt: string | null;
  leaseHolder: string | null;
  leaseUntil: string | null;
}

/** Cursors of durable subscriptions, leased so only one process advances a given one at a time. */
export interface SubscriptionRepo {
  /** Every tenant with at least one event in its log. */
  tenants(): Promise<string[]>;
  /** Leases (creating it at position 0) when not parked, due, and not leased by another; null otherwise. */
  claim(name: string, tenant: string, holder: string, now: string, leaseMs: number): Promise<SubscriptionState | null>;
  /** Moves the cursor to `position` and clears the failure; false when the lease is not the holder's. */
  advance(name: string, tenant: string, holder: string, position: number): Promise<boolean>;
  /** Counts a failed attempt at `position`: due again at `retryAt`, or parked when `park`. */
  fail(name: string, tenant: string, holder: string, input: { position: number; error: string; retryAt: string; park: boolean; now: string }): Promise<boolean>;
  release(name: string, tenant: string, holder: string): Promise<boolean>;
  list(filter: { parked?: boolean }): Promise<SubscriptionState[]>;
  /** Unparks: the failed event is tried again at once. */
  retry(name: string, tenant: string): Promise<boolean>;
  /** Unparks past the failed event: the cursor moves over it. */
  skip(name: string, tenant: string): Promise<boolean>;
}
