import Database, { type Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type {
  Case, Customer, Deal, IdentityLink, Interaction, InteractionType, MergeRecord, Platform, Role,
} from '../../domain/types.js';
import type {
  AnalyticsRepo, BulkRepo, CaseRepo, ErasureRepo, CustomerRepo, DealRepo, DocCollection, IdentityRepo, InteractionRepo, Ledger, OutboxItem,
  OutboxQueue, OutboxRepo, RfmRow, SpendRepo, Store, SystemStore, TenantStore, Where,
} from '../port.js';
import { messageFields } from '../../domain/message-change.js';
import type { EventLogRepo, IdempotencyRepo, InboxQueue, RateBucketRepo, SubscriptionRepo, WebAccessRepo } from '../port.js';
import { migrate } from './migrations.js';
import { assertFieldName, cleanWhere } from '../where.js';
import { RFM_SQL } from './rfm.js';
import { sqliteLedger } from './ledger.js';
import { sqliteBulk } from './bulk.js';
import { sqliteWebAccess } from './web-access.js';
import { sqliteIdempotency } from './idempotency.js';
import { sqliteInbox } from './inbox.js';
import { cacheStatements } from './statements.js';
import { writeBatchOf } from './write-batch.js';
import { sqliteErasure } from './erasure.js';
import * as digest from './digest-sql.js';
import { partsOf, sqliteMarkPart } from './outbox-parts.js';
import { sqliteRateBuckets } from './rate-buckets.js';
import { appendEvents, sqliteEventLog, sqliteSubscriptions } from './event-log.js';

type Row = Record<string, unknown>;
const json = (v: unknown) => JSON.stringify(v);
const parse = <T>(v: unknown): T => JSON.parse(String(v)) as T;

function toCustomer(r: Row): Customer {
  return {
    tenant: String(r.tenant), id: Number(r.id), name: String(r.name), company: (r.company as string) ?? null,
    emails: parse(r.emails), phones: parse(r.phones), tags: parse(r.tags), owner: (r.owner as string) ?? null,
    lifecycle: String(r.lifecycle), consent: parse(r.consent), mergedInto: (r.merged_into as number) ?? null,
    createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

function toIdentity(r: Row): IdentityLink {
  return {
    tenant: String(r.tenant), identity: String(r.identity), platform: r.platform as Platform,
    displayName: String(r.display_name), role: r.role as Role, customerId: (r.customer_id as number) ?? null,
    verified: Boolean(r.verified), locale: (r.locale as string) ?? null, timezone: (r.timezone as string) ?? null,
    reachable: Boolean(r.reachable), lastSeenAt: String(r.last_seen_at), createdAt: String(r.created_at),
  };
}

function toInteraction(r: Row): Interaction {
  return {
    tenant: String(r.tenant), id: Number(r.id), customerId: (r.customer_id as number) ?? null, identity: (r.identity as string) ?? null,
    type: r.type as InteractionType, channel: String(r.channel), direction: r.direction as 'in' | 'out',
    text: String(r.text), amountMinor: (r.amount_minor as number) ?? null, currency: (r.currency as string) ?? null,
    occurredAt: String(r.occurred_at), sourceEventId: (r.source_event_id as string) ?? null,
    ...messageFields(r.message_id as string | null, r.edits ? parse(r.edits) : [], Boolean(r.deleted)),
  };
}

function toDeal(r: Row): Deal {
  return {
    tenant: String(r.tenant), id: Number(r.id), customerId: Number(r.customer_id), title: String(r.title),
    amountMinor: Number(r.amount_minor), currency: String(r.currency), stage: String(r.stage),
    probability: Number(r.probability), owner: String(r.owner), expectedClose: (r.expected_close as string) ?? null,
    closedAt: (r.closed_at as string) ?? null, lostReason: (r.lost_reason as string) ?? null,
    history: parse(r.history), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
  };
}

function toCase(r: Row): Case {
  return {
    tenant: String(r.tenant), id: Number(r.id), customerId: Number(r.customer_id), kind: String(r.kind),
    owner: (r.owner as string) ?? null, status: r.status as Case['status'], summary: String(r.summary),
    dueAt: (r.due_at as string) ?? null, openedAt: String(r.opened_at), closedAt: (r.closed_at as string) ?? null,
    closedBy: (r.closed_by as string) ?? null, resolution: (r.resolution as string) ?? null, firstResponseAt: (r.first_response_at as string) ?? null,
  };
}

function toMerge(r: Row): MergeRecord {
  return {
    tenant: String(r.tenant), id: Number(r.id), fromId: Number(r.from_id), intoId: Number(r.into_id),
    identities: parse(r.identities), interactionIds: parse(r.interaction_ids), dealIds: parse(r.deal_ids),
    by: String(r.by), at: String(r.at), undoneAt: (r.undone_at as string) ?? null,
  };
}

function toOutbox(r: Row): OutboxItem {
  return {
    id: Number(r.id), tenant: String(r.tenant), platform: r.platform as Platform, target: String(r.target),
    reply: parse(r.reply), status: r.status as OutboxItem['status'], attempts: Number(r.attempts),
    nextAttemptAt: String(r.next_attempt_at), leaseHolder: (r.lease_holder as string) ?? null,
    leaseUntil: (r.lease_until as string) ?? null, idempotencyKey: String(r.idempotency_key),
    lastError: (r.last_error as string) ?? null, createdAt: String(r.created_at), sentAt: (r.sent_at as string) ?? null,
    parts: partsOf(r.parts),
  };
}

function nextId(db: Db, tenant: string, name: string): number {
  const row = db
    .prepare('INSERT INTO counters (tenant, name, value) VALUES (?, ?, 1) ON CONFLICT (tenant, name) DO UPDATE SET value = value + 1 RETURNING value')
    .get(tenant, name) as { value: number };
  return row.value;
}

class SqliteTenant implements TenantStore {
  readonly bulk: BulkRepo;
  readonly webAccess: WebAccessRepo;
  readonly idempotency: IdempotencyRepo;
  readonly erasure: ErasureRepo;
  readonly events: EventLogRepo;

  constructor(private readonly db: Db, readonly tenant: string) {
    this.events = sqliteEventLog(db, tenant);
    this.bulk = sqliteBulk(db, tenant, { customers: toCustomer, interactions: toInteraction, deals: toDeal, cases: toCase });
    this.webAccess = sqliteWebAccess(db, tenant);
    this.idempotency = sqliteIdempotency(db, tenant);
    this.erasure = sqliteErasure(db, tenant);
  }

  readonly customers: CustomerRepo = {
    create: async (input, now, events) => {
      const db = this.db;
      return db.transaction(() => {
        const id = nextId(db, this.tenant, 'customer');
        const consent = { marketing: false, surveys: true, updatedAt: now };
        db.prepare(`INSERT INTO customers (tenant, id, name, name_lc, company, emails, phones, tags, owner, lifecycle, consent, merged_into, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)`).run(
          this.tenant, id, input.name, input.name.toLowerCase(), input.company ?? null, json(input.emails ?? []),
          json(input.phones ?? []), json(input.tags ?? []), input.owner ?? null, input.lifecycle ?? 'lead', json(consent), now, now);
        const c = toCustomer(db.prepare('SELECT * FROM customers WHERE tenant = ? AND id = ?').get(this.tenant, id) as Row);
        appendEvents(db, this.tenant, events?.(c) ?? []);
        return c;
      }).immediate();
    },
    get: async (id) => {
      const r = this.db.prepare('SELECT * FROM customers WHERE tenant = ? AND id = ?').get(this.tenant, id) as Row | undefined;
      return r ? toCustomer(r) : null;
    },
    findByName: async (name) =>
      (this.db.prepare('SELECT * FROM customers WHERE tenant = ? AND name_lc = ? AND merged_into IS NULL ORDER BY id').all(this.tenant, name.toLowerCase()) as Row[]).map(toCustomer),
    // Name, company and each e-mail, case-insensitive over Unicode (JS lower-casing, as MongoDB's `i` regex folds), as the Mongo engine.
    search: async (text, limit) => {
      const t = String(text).toLowerCase();
      return (this.db.prepare(`SELECT * FROM customers WHERE tenant = ? AND merged_into IS NULL AND
        (instr(name_lc, ?) > 0 OR instr(unicode_lower(coalesce(company, '')), ?) > 0
          OR EXISTS (SELECT 1 FROM json_each(customers.emails) e WHERE instr(unicode_lower(e.value), ?) > 0)) ORDER BY id LIMIT ?`)
        .all(this.tenant, t, t, t, limit) as Row[]).map(toCustomer);
    },
    update: async (id, patch, now) => {
      const db = this.db;
      // Read and write in one immediate transaction: concurrent patches of different fields both land.
      return db.transaction(() => {
        const current = db.prepare('SELECT * FROM customers WHERE tenant = ? AND id = ?').get(this.tenant, id) as Row | undefined;
        if (!current) return null;
        const c = { ...toCustomer(current), ...patch, updatedAt: now };
        db.prepare(`UPDATE customers SET name = ?, name_lc = ?, company = ?, emails = ?, phones = ?, tags = ?, owner = ?,
          lifecycle = ?, consent = ?, merged_into = ?, updated_at = ? WHERE tenant = ? AND id = ?`).run(
          c.name, c.name.toLowerCase(), c.company, json(c.emails), json(c.phones), json(c.tags), c.owner, c.lifecycle,
          json(c.consent), c.mergedInto, now, this.tenant, id);
        return c;
      }).immediate();
    },
    count: async () =>
      (this.db.prepare('SELECT COUNT(*) n FROM customers WHERE tenant = ? AND merged_into IS NULL').get(this.tenant) as { n: number }).n,
    page: async (afterId, limit) =>
      (this.db.prepare('SELECT * FROM customers WHERE tenant = ? AND id > ? AND merged_into IS NULL ORDER BY id LIMIT ?').all(this.tenant, afterId, limit) as Row[]).map(toCustomer),
    countCreatedBetween: async (from, to) =>
      (this.db.prepare('SELECT COUNT(*) n FROM customers WHERE tenant = ? AND merged_into IS NULL AND created_at >= ? AND created_at < ?').get(this.tenant, from, to) as { n: number }).n,
    merge: async (fromId, intoId, by, now) => {
      const db = this.db;
      const t = this.tenant;
      return db.transaction(() => {
        const ids = (sql: string, key: string) => (db.prepare(sql).all(t, fromId) as Row[]).map((r) => r[key]);
        const identities = ids('SELECT identity FROM identities WHERE tenant = ? AND customer_id = ?', 'identity') as string[];
        const interactionIds = ids('SELECT id FROM interactions WHERE tenant = ? AND customer_id = ?', 'id') as number[];
        const dealIds = ids('SELECT id FROM deals WHERE tenant = ? AND customer_id = ?', 'id') as number[];
        for (const table of ['identities', 'interactions', 'deals', 'cases']) {
          db.prepare(`UPDATE ${table} SET customer_id = ? WHERE tenant = ? AND customer_id = ?`).run(intoId, t, fromId);
        }
        db.prepare('UPDATE customers SET merged_into = ?, updated_at = ? WHERE tenant = ? AND id = ?').run(intoId, now, t, fromId);
        const id = nextId(db, t, 'merge');
        db.prepare('INSERT INTO merges (tenant, id, from_id, into_id, identities, interaction_ids, deal_ids, by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
          .run(t, id, fromId, intoId, json(identities), json(interactionIds), json(dealIds), by, now);
        return toMerge(db.prepare('SELECT * FROM merges WHERE tenant = ? AND id = ?').get(t, id) as Row);
      }).immediate();
    },
    unmerge: async (mergeId, now) => {
      const db = this.db;
      const t = this.tenant;
      return db.transaction(() => {
        const row = db.prepare('SELECT * FROM merges WHERE tenant = ? AND id = ? AND undone_at IS NULL').get(t, mergeId) as Row | undefined;
        if (!row) return null;
        const m = toMerge(row);
        const back = (table: string, key: string, values: (string | number)[]) => {
          const stmt = db.prepare(`UPDATE ${table} SET customer_id = ? WHERE tenant = ? AND ${key} = ?`);
          for (const v of values) stmt.run(m.fromId, t, v);
        };
        back('identities', 'identity', m.identities);
        back('interactions', 'id', m.interactionIds);
        back('deals', 'id', m.dealIds);
        db.prepare('UPDATE customers SET merged_into = NULL, updated_at = ? WHERE tenant = ? AND id = ?').run(now, t, m.fromId);
        db.prepare('UPDATE merges SET undone_at = ? WHERE tenant = ? AND id = ?').run(now, t, mergeId);
        return { ...m, undoneAt: now };
      }).immediate();
    },
    anonymise: async (id, now) => {
      const db = this.db;
      const t = this.tenant;
      return db.transaction(() => {
        const res = db.prepare(`UPDATE customers SET name = ?, name_lc = ?, company = NULL, emails = '[]', phones = '[]', tags = '[]',
          consent = ?, updated_at = ? WHERE tenant = ? AND id = ?`)
          .run(`Erased C-${id}`, `erased c-${id}`, json({ marketing: false, surveys: false, updatedAt: now }), now, t, id);
        if (res.changes === 0) return false;
        db.prepare(`UPDATE interactions SET text = '', identity = NULL, edits = NULL WHERE tenant = ? AND customer_id = ?`).run(t, id);
        db.prepare('DELETE FROM identities WHERE tenant = ? AND customer_id = ?').run(t, id);
        db.prepare(`UPDATE cases SET summary = '' WHERE tenant = ? AND customer_id = ?`).run(t, id);
        return true;
      }).immediate();
    },
  };

  readonly identities: IdentityRepo = {
    get: async (identity) => {
      const r = this.db.prepare('SELECT * FROM identities WHERE tenant = ? AND identity = ?').get(this.tenant, identity) as Row | undefined;
      return r ? toIdentity(r) : null;
    },
    touch: async (input, now) => writeBatchOf(this.db).run(() => {
      this.db.prepare(`INSERT INTO identities (tenant, identity, platform, display_name, role, customer_id, verified, locale, timezone, reachable, last_seen_at, created_at)
        VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?)
        ON CONFLICT (tenant, identity) DO UPDATE SET display_name = excluded.display_name, last_seen_at = excluded.last_seen_at,
          locale = coalesce(excluded.locale, identities.locale), timezone = coalesce(identities.timezone, excluded.timezone), reachable = 1`)
        .run(this.tenant, input.identity, input.platform, input.displayName, input.role, input.customerId, input.locale, input.timezone ?? null, now, now);
      return toIdentity(this.db.prepare('SELECT * FROM identities WHERE tenant = ? AND identity = ?').get(this.tenant, input.identity) as Row);
    }),
    setRole: async (identity, role) => {
      this.db.prepare('UPDATE identities SET role = ? WHERE tenant = ? AND identity = ?').run(role, this.tenant, identity);
      return this.identities.get(identity);
    },
    attach: async (identity, customerId) => {
      this.db.prepare('UPDATE identities SET customer_id = ? WHERE tenant = ? AND identity = ?').run(customerId, this.tenant, identity);
      return this.identities.get(identity);
    },
    setTimezone: async (identity, timezone) => {
      this.db.prepare('UPDATE identities SET timezone = ? WHERE tenant = ? AND identity = ?').run(timezone, this.tenant, identity);
      return this.identities.get(identity);
    },
    setReachable: async (identity, reachable) => {
      this.db.prepare('UPDATE identities SET reachable = ? WHERE tenant = ? AND identity = ?').run(reachable ? 1 : 0, this.tenant, identity);
    },
    listForCustomer: async (customerId) =>
      (this.db.prepare('SELECT * FROM identities WHERE tenant = ? AND customer_id = ? ORDER BY identity').all(this.tenant, customerId) as Row[]).map(toIdentity),
  };

  readonly interactions: InteractionRepo = {
    add: async (input, events) => {
      const db = this.db;
      const t = this.tenant;
      return writeBatchOf(db).run(() => {
        if (input.sourceEventId) {
          const existing = db.prepare('SELECT * FROM interactions WHERE tenant = ? AND source_event_id = ?').get(t, input.sourceEventId) as Row | undefined;
          if (existing) return { interaction: toInteraction(existing), created: false };
        }
        const id = nextId(db, t, 'interaction');
        db.prepare(`INSERT INTO interactions (tenant, id, customer_id, identity, type, channel, direction, text, amount_minor, currency, occurred_at, source_event_id, message_id)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
          t, id, input.customerId, input.identity, input.type, input.channel, input.direction, input.text,
          input.amountMinor, input.currency, input.occurredAt, input.sourceEventId, input.messageId ?? null);
        const added = { interaction: { ...input, tenant: t, id }, created: true };
        appendEvents(db, t, events?.(added) ?? []);
        return added;
      });
    },
    listForCustomer: async (customerId, limit) =>
      (this.db.prepare('SELECT * FROM interactions WHERE tenant = ? AND customer_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?')
        .all(this.tenant, customerId, limit) as Row[]).map(toInteraction),
    countByType: async (customerId) => {
      const rows = this.db.prepare('SELECT type, COUNT(*) n FROM interactions WHERE tenant = ? AND customer_id = ? GROUP BY type').all(this.tenant, customerId) as { type: InteractionType; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.type, r.n]));
    },
    applyMessageChange: async (messageId, change) => {
      const where = 'WHERE tenant = ? AND message_id = ? AND deleted = 0';
      const res = change.kind === 'changed'
        ? this.db.prepare(`UPDATE interactions SET text = ?, edits = json_insert(coalesce(edits, '[]'), '$[#]', json_object('text', text, 'at', ?)) ${where}`)
          .run(change.text, change.at, this.tenant, messageId)
        : this.db.prepare(`UPDATE interactions SET text = '', edits = NULL, deleted = 1 ${where}`).run(this.tenant, messageId);
      return res.changes;
    },
    withdraw: async (sourceEventId) =>
      this.db.prepare('DELETE FROM interactions WHERE tenant = ? AND source_event_id = ?').run(this.tenant, sourceEventId).changes > 0,
  };

  readonly deals: DealRepo = {
    create: async (input, by, now, events) => {
      const db = this.db;
      const t = this.tenant;
      return db.transaction(() => {
        const id = nextId(db, t, 'deal');
        const history = [{ stage: input.stage, at: now, by }];
        db.prepare(`INSERT INTO deals (tenant, id, customer_id, title, amount_minor, currency, stage, probability, owner, expected_close, closed_at, lost_reason, history, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?)`).run(
          t, id, input.customerId, input.title, input.amountMinor, input.currency, input.stage, input.probability,
          input.owner, input.expectedClose, json(history), now, now);
        const deal = toDeal(db.prepare('SELECT * FROM deals WHERE tenant = ? AND id = ?').get(t, id) as Row);
        appendEvents(db, t, events?.(deal) ?? []);
        return deal;
      }).immediate();
    },
    get: async (id) => {
      const r = this.db.prepare('SELECT * FROM deals WHERE tenant = ? AND id = ?').get(this.tenant, id) as Row | undefined;
      return r ? toDeal(r) : null;
    },
    moveStage: async (id, change, events) => this.db.transaction(() => {
      const res = this.db.prepare(`UPDATE deals SET stage = ?, probability = ?, updated_at = ?,
          closed_at = CASE WHEN ? THEN ? ELSE NULL END, lost_reason = ?,
          history = json_insert(history, '$[#]', json(?)) WHERE tenant = ? AND id = ?`)
        .run(change.stage, change.probability, change.at, change.closed ? 1 : 0, change.at, change.lostReason ?? null,
          json({ stage: change.stage, at: change.at, by: change.by }), this.tenant, id);
      if (!res.changes) return null;
      const deal = toDeal(this.db.prepare('SELECT * FROM deals WHERE tenant = ? AND id = ?').get(this.tenant, id) as Row);
      appendEvents(this.db, this.tenant, events?.(deal) ?? []);
      return deal;
    }).immediate(),
    list: async (filter, limit) => {
      const clauses = ['tenant = ?'];
      const args: unknown[] = [this.tenant];
      if (filter.owner !== undefined) { clauses.push('owner = ?'); args.push(filter.owner); }
      if (filter.stage !== undefined) { clauses.push('stage = ?'); args.push(filter.stage); }
      if (filter.customerId !== undefined) { clauses.push('customer_id = ?'); args.push(filter.customerId); }
      if (filter.open !== undefined) clauses.push(filter.open ? 'closed_at IS NULL' : 'closed_at IS NOT NULL');
      args.push(limit);
      return (this.db.prepare(`SELECT * FROM deals WHERE ${clauses.join(' AND ')} ORDER BY id DESC LIMIT ?`).all(...args) as Row[]).map(toDeal);
    },
  };

  readonly cases: CaseRepo = {
    open: async (input, now, events) => {
      const db = this.db;
      const t = this.tenant;
      return db.transaction(() => {
        const id = nextId(db, t, 'case');
        db.prepare(`INSERT INTO cases (tenant, id, customer_id, kind, owner, status, summary, due_at, opened_at, closed_at)
          VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, NULL)`).run(t, id, input.customerId, input.kind, input.owner, input.summary, input.dueAt, now);
        const kase = toCase(db.prepare('SELECT * FROM cases WHERE tenant = ? AND id = ?').get(t, id) as Row);
        appendEvents(db, t, events?.(kase) ?? []);
        return kase;
      }).immediate();
    },
    close: async (id, now, resolved, events) => this.db.transaction(() => {
      const res = this.db.prepare(`UPDATE cases SET status = 'closed', closed_at = @now, closed_by = @by, resolution = @resolution,
        first_response_at = COALESCE(first_response_at, CASE WHEN @by IS NULL THEN NULL ELSE @now END)
        WHERE tenant = @t AND id = @id AND status = 'open'`).run({ now, by: resolved?.by ?? null, resolution: resolved?.resolution ?? null, t: this.tenant, id });
      if (!res.changes) return null;
      const kase = toCase(this.db.prepare('SELECT * FROM cases WHERE tenant = ? AND id = ?').get(this.tenant, id) as Row);
      appendEvents(this.db, this.tenant, events?.(kase) ?? []);
      return kase;
    }).immediate(),
    listOpen: async (customerId) => {
      const rows = customerId === undefined
        ? this.db.prepare(`SELECT * FROM cases WHERE tenant = ? AND status = 'open' ORDER BY id`).all(this.tenant)
        : this.db.prepare(`SELECT * FROM cases WHERE tenant = ? AND status = 'open' AND customer_id = ? ORDER BY id`).all(this.tenant, customerId);
      return (rows as Row[]).map(toCase);
    },
    get: async (id) => {
      const r = this.db.prepare('SELECT * FROM cases WHERE tenant = ? AND id = ?').get(this.tenant, id) as Row | undefined;
      return r ? toCase(r) : null;
    },
    respond: async (customerId, at) =>
      this.db.prepare(`UPDATE cases SET first_response_at = ? WHERE tenant = ? AND customer_id = ? AND status = 'open'
        AND first_response_at IS NULL AND opened_at <= ?`).run(at, this.tenant, customerId, at).changes,
    list: async (f, limit) => {
      const where = ['tenant = @t'];
      if (f.customerId !== undefined) where.push('customer_id = @customerId');
      if (f.kind !== undefined) where.push('kind = @kind');
      if (f.openedFrom !== undefined) where.push('opened_at >= @openedFrom');
      if (f.openedTo !== undefined) where.push('opened_at < @openedTo');
      const rows = this.db.prepare(`SELECT * FROM cases WHERE ${where.join(' AND ')} ORDER BY id LIMIT @limit`).all({ ...f, t: this.tenant, limit }) as Row[];
      return rows.map(toCase);
    },
  };

  readonly analytics: AnalyticsRepo = {
    rfm: async (asOf, money) =>
      (this.db.prepare(RFM_SQL).all({ tenant: this.tenant, asOf, reporting: money.currency, fx: JSON.stringify(money.fx) }) as Row[]).map(toRfm),
    rfmFor: async (customerId, asOf, money) => {
      const rows = await this.analytics.rfm(asOf, money);
      return rows.find((r) => r.customerId === customerId) ?? null;
    },
    dealCurrencies: async () =>
      (this.db.prepare('SELECT DISTINCT currency FROM deals WHERE tenant = ? ORDER BY currency').all(this.tenant) as Row[]).map((r) => String(r.currency)),
    pipeline: async (currency) =>
      (this.db.prepare(`SELECT stage, COUNT(*) count, SUM(amount_minor) totalMinor FROM deals
        WHERE tenant = ? AND currency = ? AND closed_at IS NULL GROUP BY stage ORDER BY stage`).all(this.tenant, currency) as Row[])
        .map((r) => ({ stage: String(r.stage), count: Number(r.count), totalMinor: Number(r.totalMinor) })),
    closedSince: async (since, currency) => {
      const r = this.db.prepare(`SELECT
          COALESCE(SUM(stage = 'won'), 0) won, COALESCE(SUM(stage = 'lost'), 0) lost,
          COALESCE(SUM(CASE WHEN stage = 'won' THEN amount_minor END), 0) wonTotal,
          COALESCE(SUM(CASE WHEN stage = 'won' THEN julianday(closed_at) - julianday(created_at) END), 0) cycle
        FROM deals WHERE tenant = ? AND currency = ? AND closed_at IS NOT NULL AND closed_at >= ?`).get(this.tenant, currency, since) as Row;
      return { won: Number(r.won), lost: Number(r.lost), wonTotalMinor: Number(r.wonTotal), wonCycleDays: Number(r.cycle) };
    },
    customersCreated: async (bounds, owner) => digest.customersCreated(this.db, this.tenant, bounds, owner),
    customerActivity: async (from, to, days, owner) => digest.customerActivity(this.db, this.tenant, from, to, days, owner),
    purchaseFacts: async (asOf, owner) => digest.purchaseFacts(this.db, this.tenant, asOf, owner),
    surveyScores: async (bounds, owner, survey) => digest.surveyScores(this.db, this.tenant, bounds, owner, survey ?? null),
    mentionDigest: async (bounds, owner) => digest.mentionDigest(this.db, this.tenant, bounds, owner),
    closedPerBucket: async (bounds, currency, owner) => digest.closedPerBucket(this.db, this.tenant, bounds, currency, owner),
    openDeals: async (currency, owner) => digest.openDeals(this.db, this.tenant, currency, owner),
  };

  readonly spend: SpendRepo = {
    record: async (month, amountMinor, currency, by, now) => {
      this.db.prepare('INSERT INTO spend (tenant, month, amount_minor, currency, by, at) VALUES (?, ?, ?, ?, ?, ?)').run(this.tenant, month, amountMinor, currency, by, now);
    },
    total: async (fromMonth, toMonth) =>
      Number((this.db.prepare('SELECT COALESCE(SUM(amount_minor), 0) s FROM spend WHERE tenant = ? AND month >= ? AND month <= ?').get(this.tenant, fromMonth, toMonth) as Row).s),
  };

  readonly outbox: OutboxRepo = {
    enqueue: async (input, now) => {
      const res = this.db.prepare(`INSERT INTO outbox (tenant, platform, target, reply, status, attempts, next_attempt_at, idempotency_key, created_at)
        VALUES (?, ?, ?, ?, 'pending', 0, ?, ?, ?) ON CONFLICT (tenant, idempotency_key) DO NOTHING`)
        .run(this.tenant, input.platform, input.target, json(input.reply), input.notBefore ?? now, input.idempotencyKey, now);
      return res.changes === 1;
    },
    delivered: async (target, limit) =>
      (this.db.prepare(`SELECT * FROM (SELECT * FROM outbox WHERE tenant = ? AND target = ? AND status = 'sent' ORDER BY sent_at DESC, id DESC LIMIT ?)
        ORDER BY sent_at, id`).all(this.tenant, target, limit) as Row[]).map(toOutbox),
  };

  ledger(plugin: string, name: string): Ledger {
    return sqliteLedger(this.db, this.tenant, plugin, name);
  }

  docs<T extends { id: string }>(plugin: string, collection: string): DocCollection<T> {
    const db = this.db;
    const key = [this.tenant, plugin, collection] as const;
    const filter = (where: Where) => {
      const w = cleanWhere(where);
      const clauses = Object.keys(w).map((f) => (w[f] === null ? `json_extract(doc, '$.${f}') IS NULL` : `json_extract(doc, '$.${f}') = ?`));
      const args = Object.values(w).filter((v) => v !== null).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
      return { sql: clauses.length ? ` AND ${clauses.join(' AND ')}` : '', args };
    };
    return {
      put: async (doc) => {
        db.prepare('INSERT INTO plugin_docs (tenant, plugin, collection, id, doc, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO UPDATE SET doc = excluded.doc, version = version + 1').run(...key, doc.id, json(doc));
      },
      insertIfAbsent: async (doc) =>
        db.prepare('INSERT INTO plugin_docs (tenant, plugin, collection, id, doc, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT DO NOTHING').run(...key, doc.id, json(doc)).changes === 1,
      get: async (id) => {
        const r = db.prepare('SELECT doc FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ? AND id = ?').get(...key, id) as Row | undefined;
        return r ? parse<T>(r.doc) : null;
      },
      find: async (where, opts = {}) => {
        const f = filter(where);
        const order = opts.orderBy ? ` ORDER BY json_extract(doc, '$.${assertFieldName(opts.orderBy)}') ${opts.desc ? 'DESC' : 'ASC'}, id` : ' ORDER BY id';
        const rows = db.prepare(`SELECT doc FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ?${f.sql}${order} LIMIT ?`)
          .all(...key, ...f.args, opts.limit ?? 1000) as Row[];
        return rows.map((r) => parse<T>(r.doc));
      },
      delete: async (id) => db.prepare('DELETE FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ? AND id = ?').run(...key, id).changes === 1,
      deleteWhere: async (where) => {
        const f = filter(where);
        return db.prepare(`DELETE FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ?${f.sql}`).run(...key, ...f.args).changes;
      },
      increment: async (id, field, by) => {
        const path = `$.${assertFieldName(field)}`;
        const r = db.prepare(`INSERT INTO plugin_docs (tenant, plugin, collection, id, doc, version) VALUES (?, ?, ?, ?, json_set(json_object('id', ?), '${path}', ?), 1)
          ON CONFLICT DO UPDATE SET doc = json_set(doc, '${path}', coalesce(json_extract(doc, '${path}'), 0) + ?), version = version + 1 RETURNING json_extract(doc, '${path}') AS value`)
          .get(...key, id, id, by, by) as { value: number };
        return Number(r.value);
      },
      updateIfPresent: async (id, patch) => {
        const entries = Object.entries(patch);
        if (!entries.length) return (await db.prepare('SELECT 1 FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ? AND id = ?').get(...key, id)) !== undefined;
        const sets = entries.map(([f]) => `, '$.${assertFieldName(f)}', json(?)`).join('');
        return db.prepare(`UPDATE plugin_docs SET doc = json_set(doc${sets}), version = version + 1 WHERE tenant = ? AND plugin = ? AND collection = ? AND id = ?`)
          .run(...entries.map(([, v]) => JSON.stringify(v ?? null)), ...key, id).changes === 1;
      },
      getVersioned: async (id) => {
        const r = db.prepare('SELECT doc, version FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ? AND id = ?').get(...key, String(id)) as Row | undefined;
        return r ? { doc: parse<T>(r.doc), version: Number(r.version) } : null;
      },
      update: async (id, patch, opts = {}) => {
        const entries = Object.entries(patch);
        const sets = entries.map(([f]) => `, '$.${assertFieldName(f)}', json(?)`).join('');
        const guard = opts.ifVersion === undefined ? '' : ' AND version = ?';
        const r = db.prepare(`UPDATE plugin_docs SET doc = json_set(doc${sets}), version = version + 1
          WHERE tenant = ? AND plugin = ? AND collection = ? AND id = ?${guard} RETURNING version`)
          .get(...entries.map(([, v]) => JSON.stringify(v ?? null)), ...key, String(id), ...(opts.ifVersion === undefined ? [] : [Number(opts.ifVersion)])) as Row | undefined;
        if (r) return { status: 'ok', version: Number(r.version) };
        const now = db.prepare('SELECT version FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ? AND id = ?').get(...key, String(id)) as Row | undefined;
        return now ? { status: 'conflict', version: Number(now.version) } : { status: 'missing' };
      },
      count: async (where) => {
        const f = filter(where);
        return (db.prepare(`SELECT COUNT(*) n FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ?${f.sql}`).get(...key, ...f.args) as { n: number }).n;
      },
      page: async (after, limit) =>
        (db.prepare('SELECT doc FROM plugin_docs WHERE tenant = ? AND plugin = ? AND collection = ? AND id > ? ORDER BY id LIMIT ?')
          .all(...key, after === null ? '' : String(after), limit) as Row[]).map((r) => parse<T>(r.doc)),
    };
  }
}

function toRfm(r: Row): RfmRow {
  return {
    customerId: Number(r.customerId), recencyDays: Number(r.recencyDays), frequency: Number(r.frequency),
    monetaryMinor: Number(r.monetaryMinor), unconverted: JSON.parse(String(r.apart)) as RfmRow['unconverted'], r: Number(r.r), f: Number(r.f), m: Number(r.m),
  };
}

class SqliteSystem implements SystemStore {
  readonly rateBuckets: RateBucketRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly inbox: InboxQueue;

  constructor(private readonly db: Db) {
    this.rateBuckets = sqliteRateBuckets(db);
    this.subscriptions = sqliteSubscriptions(db);
    this.inbox = sqliteInbox(db);
  }

  // SQLite has no change feed: the dispatcher polls.
  watchEvents(): null {
    return null;
  }

  async firstSeen(key: string, now: string): Promise<boolean> {
    return writeBatchOf(this.db).run(() => this.db.prepare('INSERT INTO events_seen (key, at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(key, now).changes === 1);
  }

  async claimTick(job: string, tick: string, holder: string, now: string): Promise<boolean> {
    return this.db.prepare('INSERT INTO job_ticks (job, tick, holder, at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING').run(job, tick, holder, now).changes === 1;
  }

  async lastTick(job: string): Promise<string | null> {
    const r = this.db.prepare('SELECT MAX(tick) t FROM job_ticks WHERE job = ?').get(job) as Row;
    return (r.t as string) ?? null;
  }

  // A released tick keeps its row with an empty holder, so claimTick still refuses it and only claimReleasedTick takes it.
  async releaseTick(job: string, tick: string, holder: string): Promise<boolean> {
    return this.db.prepare("UPDATE job_ticks SET holder = '' WHERE job = ? AND tick = ? AND holder = ?").run(job, tick, holder).changes === 1;
  }

  async claimReleasedTick(job: string, holder: string, now: string): Promise<string | null> {
    const r = this.db.prepare(`UPDATE job_ticks SET holder = ?, at = ? WHERE job = ? AND holder = ''
      AND tick = (SELECT tick FROM job_ticks WHERE job = ? AND holder = '' ORDER BY tick LIMIT 1) RETURNING tick`).get(holder, now, job, job) as Row | undefined;
    return (r?.tick as string) ?? null;
  }

  async pruneSeen(before: string): Promise<number> {
    return this.db.prepare('DELETE FROM events_seen WHERE at < ?').run(before).changes;
  }

  readonly outbox: OutboxQueue = {
    claim: async (holder, now, leaseMs, limit, platforms) => {
      if (!platforms.length) return [];
      const db = this.db;
      const until = new Date(Date.parse(now) + leaseMs).toISOString();
      return db.transaction(() => {
        const rows = db.prepare(`SELECT id FROM outbox WHERE status = 'pending' AND platform IN (${platforms.map(() => '?').join(',')})
            AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until < ?) ORDER BY next_attempt_at, id LIMIT ?`)
          .all(...platforms, now, now, limit) as { id: number }[];
        const lease = db.prepare('UPDATE outbox SET lease_holder = ?, lease_until = ?, attempts = attempts + 1 WHERE id = ?');
        for (const r of rows) lease.run(holder, until, r.id);
        const get = db.prepare('SELECT * FROM outbox WHERE id = ?');
        return rows.map((r) => toOutbox(get.get(r.id) as Row));
      }).immediate();
    },
    markSent: async (id, holder, now) =>
      this.db.prepare(`UPDATE outbox SET status = 'sent', sent_at = ?, lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(now, id, holder).changes === 1,
    retryAt: async (id, holder, at, error) =>
      this.db.prepare(`UPDATE outbox SET next_attempt_at = ?, last_error = ?, lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(at, error, id, holder).changes === 1,
    postpone: async (id, holder, at) =>
      this.db.prepare(`UPDATE outbox SET next_attempt_at = ?, attempts = MAX(attempts - 1, 0), lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(at, id, holder).changes === 1,
    markDead: async (id, holder, error) =>
      this.db.prepare(`UPDATE outbox SET status = 'dead', last_error = ?, lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ? AND status = 'pending'`).run(error, id, holder).changes === 1,
    markPart: (id, holder, part, ref) => sqliteMarkPart(this.db, id, holder, part, ref),
    release: async (holder) =>
      this.db.prepare(`UPDATE outbox SET lease_holder = NULL, lease_until = NULL, attempts = MAX(attempts - 1, 0) WHERE lease_holder = ? AND status = 'pending'`).run(holder).changes,
    depth: async () => {
      const rows = this.db.prepare(`SELECT platform, COUNT(*) n FROM outbox WHERE status = 'pending' GROUP BY platform`).all() as { platform: Platform; n: number }[];
      return Object.fromEntries(rows.map((r) => [r.platform, r.n]));
    },
  };
}

export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  cacheStatements(db);
  db.function('unicode_lower', { deterministic: true }, (v: unknown) => String(v).toLowerCase());
  const system = new SqliteSystem(db);
  const tenants = new Map<string, SqliteTenant>();
  return {
    kind: 'sqlite',
    system,
    tenant(id: string) {
      let t = tenants.get(id);
      if (!t) tenants.set(id, (t = new SqliteTenant(db, id)));
      return t;
    },
    async verify() {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    },
    async probeWrite(now: string) {
      db.prepare('INSERT INTO store_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(now);
    },
    async close() {
      db.close();
    },
  };
}
