import type { Database } from 'better-sqlite3';

/**
 * The tables a request writes before it is acknowledged (the inbox and the rate buckets), in a file of their own
 * attached as "door": SQLite locks one file at a time, so recording a request never waits for the write lock that
 * the work holds on the main file, whichever thread or process holds it. Unqualified names find them there.
 */
export const DOOR_SCHEMA = `
  CREATE TABLE IF NOT EXISTS door.inbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, holder TEXT NOT NULL, lease_until TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS door.inbox_lease ON inbox (lease_until);
  CREATE TABLE IF NOT EXISTS door.rate_buckets (kind TEXT NOT NULL, key TEXT NOT NULL, tokens REAL NOT NULL, at INTEGER NOT NULL,
    told_until INTEGER NOT NULL DEFAULT 0, spent INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, key)) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS door.rate_buckets_at ON rate_buckets (kind, at);
  -- Buckets per kind, kept by the file itself: a new key checks the table's bound with one lookup, not a count of
  -- every live bucket (which a flood of made-up identities made cost more with each one). Counted once when made.
  CREATE TABLE IF NOT EXISTS door.rate_bucket_rows (kind TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;
  INSERT OR IGNORE INTO door.rate_bucket_rows SELECT kind, count(*) FROM door.rate_buckets GROUP BY kind;
  CREATE TRIGGER IF NOT EXISTS door.rate_bucket_added AFTER INSERT ON rate_buckets
    BEGIN INSERT INTO rate_bucket_rows (kind, n) VALUES (new.kind, 1) ON CONFLICT DO UPDATE SET n = n + 1; END;
  CREATE TRIGGER IF NOT EXISTS door.rate_bucket_removed AFTER DELETE ON rate_buckets
    BEGIN UPDATE rate_bucket_rows SET n = n - 1 WHERE kind = old.kind; END;
`;

/** Versioned schema steps; each runs once, in order, inside a transaction, at start-up. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE counters (tenant TEXT NOT NULL, name TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (tenant, name));
  CREATE TABLE customers (
    tenant TEXT NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, name_lc TEXT NOT NULL, company TEXT,
    emails TEXT NOT NULL, phones TEXT NOT NULL, tags TEXT NOT NULL, owner TEXT, lifecycle TEXT NOT NULL,
    consent TEXT NOT NULL, merged_into INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    PRIMARY KEY (tenant, id));
  CREATE INDEX customers_name ON customers (tenant, name_lc);
  CREATE TABLE identities (
    tenant TEXT NOT NULL, identity TEXT NOT NULL, platform TEXT NOT NULL, display_name TEXT NOT NULL,
    role TEXT NOT NULL, customer_id INTEGER, verified INTEGER NOT NULL, locale TEXT, timezone TEXT,
    reachable INTEGER NOT NULL DEFAULT 1, last_seen_at TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (tenant, identity));
  CREATE INDEX identities_customer ON identities (tenant, customer_id);
  CREATE TABLE interactions (
    tenant TEXT NOT NULL, id INTEGER NOT NULL, customer_id INTEGER, identity TEXT, type TEXT NOT NULL,
    channel TEXT NOT NULL, direction TEXT NOT NULL, text TEXT NOT NULL, amount_minor INTEGER, currency TEXT,
    occurred_at TEXT NOT NULL, source_event_id TEXT, PRIMARY KEY (tenant, id));
  CREATE UNIQUE INDEX interactions_source ON interactions (tenant, source_event_id) WHERE source_event_id IS NOT NULL;
  CREATE INDEX interactions_customer ON interactions (tenant, customer_id, occurred_at);
  CREATE INDEX interactions_type ON interactions (tenant, type, customer_id, occurred_at);
  CREATE TABLE deals (
    tenant TEXT NOT NULL, id INTEGER NOT NULL, customer_id INTEGER NOT NULL, title TEXT NOT NULL,
    amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, stage TEXT NOT NULL, probability REAL NOT NULL,
    owner TEXT NOT NULL, expected_close TEXT, closed_at TEXT, lost_reason TEXT, history TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (tenant, id));
  CREATE INDEX deals_stage ON deals (tenant, stage);
  CREATE INDEX deals_customer ON deals (tenant, customer_id);
  CREATE TABLE merges (
    tenant TEXT NOT NULL, id INTEGER NOT NULL, from_id INTEGER NOT NULL, into_id INTEGER NOT NULL,
    identities TEXT NOT NULL, interaction_ids TEXT NOT NULL, deal_ids TEXT NOT NULL, by TEXT NOT NULL,
    at TEXT NOT NULL, undone_at TEXT, PRIMARY KEY (tenant, id));
  CREATE TABLE cases (
    tenant TEXT NOT NULL, id INTEGER NOT NULL, customer_id INTEGER NOT NULL, kind TEXT NOT NULL, owner TEXT,
    status TEXT NOT NULL, summary TEXT NOT NULL, due_at TEXT, opened_at TEXT NOT NULL, closed_at TEXT,
    PRIMARY KEY (tenant, id));
  CREATE INDEX cases_open ON cases (tenant, status, customer_id);
  CREATE TABLE spend (tenant TEXT NOT NULL, month TEXT NOT NULL, amount_minor INTEGER NOT NULL, currency TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL);
  CREATE INDEX spend_month ON spend (tenant, month);
  CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, platform TEXT NOT NULL, target TEXT NOT NULL,
    reply TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT NOT NULL,
    lease_holder TEXT, lease_until TEXT, idempotency_key TEXT NOT NULL, last_error TEXT, created_at TEXT NOT NULL,
    sent_at TEXT);
  CREATE UNIQUE INDEX outbox_key ON outbox (tenant, idempotency_key);
  CREATE INDEX outbox_due ON outbox (status, platform, next_attempt_at);
  CREATE INDEX outbox_target ON outbox (tenant, target, status, sent_at);
  CREATE TABLE events_seen (key TEXT PRIMARY KEY, at TEXT NOT NULL);
  CREATE TABLE job_ticks (job TEXT NOT NULL, tick TEXT NOT NULL, holder TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (job, tick));
  CREATE TABLE plugin_docs (
    tenant TEXT NOT NULL, plugin TEXT NOT NULL, collection TEXT NOT NULL, id TEXT NOT NULL, doc TEXT NOT NULL,
    PRIMARY KEY (tenant, plugin, collection, id));
  `,
  `
  CREATE TABLE ledger_entries (
    tenant TEXT NOT NULL, plugin TEXT NOT NULL, ledger TEXT NOT NULL, key TEXT NOT NULL, account TEXT NOT NULL,
    delta INTEGER NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, data TEXT NOT NULL, seq INTEGER PRIMARY KEY AUTOINCREMENT);
  CREATE UNIQUE INDEX ledger_key ON ledger_entries (tenant, plugin, ledger, key);
  CREATE INDEX ledger_account ON ledger_entries (tenant, plugin, ledger, account, seq);
  CREATE TABLE ledger_balances (
    tenant TEXT NOT NULL, plugin TEXT NOT NULL, ledger TEXT NOT NULL, account TEXT NOT NULL, balance INTEGER NOT NULL,
    PRIMARY KEY (tenant, plugin, ledger, account));
  `,
  // listForCustomer sorts by identity: with the identity in the index SQLite stops scanning the tenant.
  `
  CREATE INDEX identities_customer_identity ON identities (tenant, customer_id, identity);
  DROP INDEX identities_customer;
  `,
  `
  -- branch slack: platform message ids, so an edited or deleted chat message updates what was stored.
  ALTER TABLE interactions ADD COLUMN message_id TEXT;
  ALTER TABLE interactions ADD COLUMN edits TEXT;
  ALTER TABLE interactions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX interactions_message ON interactions (tenant, message_id) WHERE message_id IS NOT NULL;
  `,
  `
  -- web-trust: web sign-in (hashed codes and sessions), idempotent web requests, a write probe, events_seen by age.
  CREATE TABLE web_invites (tenant TEXT NOT NULL, hash TEXT NOT NULL, identity TEXT NOT NULL, expires_at TEXT NOT NULL,
    used_at TEXT, created_at TEXT NOT NULL, PRIMARY KEY (tenant, hash));
  CREATE INDEX web_invites_identity ON web_invites (tenant, identity);
  CREATE TABLE web_sessions (tenant TEXT NOT NULL, hash TEXT NOT NULL, identity TEXT NOT NULL, expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL, PRIMARY KEY (tenant, hash));
  CREATE INDEX web_sessions_identity ON web_sessions (tenant, identity);
  CREATE TABLE idempotency (tenant TEXT NOT NULL, identity TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL,
    status INTEGER, body TEXT, created_at TEXT NOT NULL, PRIMARY KEY (tenant, identity, key));
  CREATE INDEX idempotency_created ON idempotency (created_at);
  CREATE TABLE store_probe (id INTEGER PRIMARY KEY, at TEXT NOT NULL);
  CREATE INDEX events_seen_at ON events_seen (at);
  `,
  `
  -- multi-surveys: cases record who resolved them, how, and the first response, for complaint KPIs.
  ALTER TABLE cases ADD COLUMN closed_by TEXT;
  ALTER TABLE cases ADD COLUMN resolution TEXT;
  ALTER TABLE cases ADD COLUMN first_response_at TEXT;
  CREATE INDEX cases_opened ON cases (tenant, opened_at);
  `,
  `
  -- parts: an outbox item remembers which parts of a multi-call send went out; rate-limit buckets shared by every process.
  ALTER TABLE outbox ADD COLUMN parts TEXT NOT NULL DEFAULT '{}';
  CREATE TABLE rate_buckets (kind TEXT NOT NULL, key TEXT NOT NULL, tokens REAL NOT NULL, at INTEGER NOT NULL,
    told_until INTEGER NOT NULL DEFAULT 0, spent INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (kind, key)) WITHOUT ROWID;
  CREATE INDEX rate_buckets_at ON rate_buckets (kind, at);
  `,
  `
  -- events: the durable event log, written with the facts, and the cursors of durable subscriptions.
  CREATE TABLE event_log (tenant TEXT NOT NULL, position INTEGER NOT NULL, name TEXT NOT NULL, payload TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (tenant, position));
  CREATE INDEX event_log_name ON event_log (tenant, name, position);
  CREATE TABLE event_subscriptions (
    name TEXT NOT NULL, tenant TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT, failed_position INTEGER, last_error TEXT, parked_at TEXT, lease_holder TEXT, lease_until TEXT,
    PRIMARY KEY (name, tenant));
  `,
  `
  -- bursts: requests acknowledged but not yet handled, replayed after a crash.
  CREATE TABLE inbox (id TEXT PRIMARY KEY, event TEXT NOT NULL, holder TEXT NOT NULL, lease_until TEXT NOT NULL);
  CREATE INDEX inbox_lease ON inbox (lease_until);
  `,
  `
  -- mongo: plugin documents carry a version for compare-and-set updates.
  ALTER TABLE plugin_docs ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
  `,
  `
  -- digest: purchases covered (currency, amount) so RFM, activity and purchase facts read the index alone, grouped
  -- per customer and currency without a sort; it replaces interactions_type, a prefix of it.
  CREATE INDEX interactions_type_covering ON interactions (tenant, type, customer_id, currency, occurred_at, amount_minor);
  DROP INDEX interactions_type;
  `,
  `
  -- digest: a customer's timeline covers type and direction, so "last inbound interaction" is an index-only walk;
  -- it replaces interactions_customer, a prefix of it.
  CREATE INDEX interactions_customer_covering ON interactions (tenant, customer_id, occurred_at, type, direction);
  DROP INDEX interactions_customer;
  `,
  `
  -- digest: the interactions of a period in time order, for the customers active in it.
  CREATE INDEX interactions_time ON interactions (tenant, occurred_at, customer_id);
  `,
  `
  -- loyalty: ledger balances live in their primary key's b-tree alone (WITHOUT ROWID), so an append updates one b-tree per balance, not two.
  CREATE TABLE ledger_balances_keyed (
    tenant TEXT NOT NULL, plugin TEXT NOT NULL, ledger TEXT NOT NULL, account TEXT NOT NULL, balance INTEGER NOT NULL,
    PRIMARY KEY (tenant, plugin, ledger, account)) WITHOUT ROWID;
  INSERT INTO ledger_balances_keyed SELECT tenant, plugin, ledger, account, balance FROM ledger_balances;
  DROP TABLE ledger_balances;
  ALTER TABLE ledger_balances_keyed RENAME TO ledger_balances;
  `,
  `
  -- door: the acknowledgement path's tables move to the file attached as "door" (SQLite locks a file at a time).
  ${DOOR_SCHEMA}
  INSERT INTO door.inbox SELECT id, event, holder, lease_until FROM main.inbox;
  DROP TABLE main.inbox;
  INSERT INTO door.rate_buckets SELECT kind, key, tokens, at, told_until, spent FROM main.rate_buckets;
  DROP TABLE main.rate_buckets;
  `,
  `
  -- inbox: the inbound event whose command created a customer, deal or case, so a replay after a crash creates it once.
  ALTER TABLE customers ADD COLUMN source_event_id TEXT;
  ALTER TABLE deals ADD COLUMN source_event_id TEXT;
  ALTER TABLE cases ADD COLUMN source_event_id TEXT;
  CREATE UNIQUE INDEX customers_source ON customers (tenant, source_event_id) WHERE source_event_id IS NOT NULL;
  CREATE UNIQUE INDEX deals_source ON deals (tenant, source_event_id) WHERE source_event_id IS NOT NULL;
  CREATE UNIQUE INDEX cases_source ON cases (tenant, source_event_id) WHERE source_event_id IS NOT NULL;
  `,
  `
  -- loyalty: a tier's total (an account's earnings in a window) reads the index alone, the table row only for a
  -- reversal's data; it replaces ledger_account, whose order by seq a listing now gets from a sort of one account.
  CREATE INDEX ledger_account_window ON ledger_entries (tenant, plugin, ledger, account, at, kind, delta);
  DROP INDEX ledger_account;
  `,
  `
  -- commands and the customer view: a name, a customer's cases, a stage's, a customer's or a rep's deals are read from an index
  -- that holds them in id order. With the order left to the primary key, the planner walked every row of the tenant
  -- instead of sorting a few (a name lookup read every customer: 35 µs at 200 customers, growing with the book).
  CREATE INDEX customers_name_id ON customers (tenant, name_lc, id);
  DROP INDEX customers_name;
  CREATE INDEX cases_status_id ON cases (tenant, status, id);
  DROP INDEX cases_open;
  CREATE INDEX cases_customer ON cases (tenant, customer_id, id);
  CREATE INDEX deals_stage_id ON deals (tenant, stage, id);
  DROP INDEX deals_stage;
  CREATE INDEX deals_customer_id ON deals (tenant, customer_id, id);
  DROP INDEX deals_customer;
  CREATE INDEX deals_owner_id ON deals (tenant, owner, id);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Runs the steps not yet run; the door's tables are made again if its file went missing (a restore of the main file alone). */
export function migrate(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)');
  const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
  let version = row?.version ?? 0;
  if (!row) db.prepare('INSERT INTO schema_version (version) VALUES (0)').run();
  for (; version < MIGRATIONS.length; version++) {
    const step = MIGRATIONS[version]!;
    db.transaction(() => {
      db.exec(step);
      db.prepare('UPDATE schema_version SET version = ?').run(version + 1);
    }).immediate();
  }
  // One transaction: the bucket counts start from the rows as they are, with no other process inserting meanwhile.
  db.transaction(() => db.exec(DOOR_SCHEMA)).immediate();
}
