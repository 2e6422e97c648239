import Database, { type Database as Db } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import type { DocCollection, InboxQueue, OutboxQueue, RateBucketRepo, Store, SubscriptionRepo, SystemStore, TenantStore } from '../port.js';
import { migrate } from './migrations.js';
import { ensureSqliteDocIndexes } from './doc-indexes.js';
import { sqliteLedger } from './ledger.js';
import { sqliteBulk } from './bulk.js';
import { sqliteWebAccess } from './web-access.js';
import { sqliteIdempotency } from './idempotency.js';
import { sqliteInbox } from './inbox.js';
import { cacheStatements } from './statements.js';
import { openWriteBatch, writeBatchOf } from './write-batch.js';
import { sqliteErasure } from './erasure.js';
import { sqliteRateBuckets } from './rate-buckets.js';
import { sqliteEventLog, sqliteSubscriptions } from './event-log.js';
import { toCase, toCustomer, toDeal, toInteraction, type Row } from './codecs.js';
import type { Scope } from './scope.js';
import { sqliteCustomers } from './customers.js';
import { sqliteIdentities } from './identities.js';
import { sqliteInteractions } from './interactions.js';
import { sqliteDeals } from './deals.js';
import { sqliteCases } from './cases.js';
import { sqliteAnalytics } from './analytics.js';
import { sqliteSpend } from './spend.js';
import { sqliteOutbox, sqliteOutboxQueue } from './outbox.js';
import { sqliteDocs } from './docs.js';
import { SqliteReadThreads } from './read-threads.js';

/** The SQLite engine's composition: one tenant's repositories wired over one database (each in its own file). */
function sqliteTenant(db: Db, tenant: string, reads: SqliteReadThreads | null): TenantStore {
  const scope: Scope = { db, tenant };
  // Built once per collection: callers ask for a collection on every request (role grants on every message).
  const collections = new Map<string, DocCollection<any>>();
  return {
    tenant,
    events: sqliteEventLog(db, tenant),
    bulk: sqliteBulk(db, tenant, { customers: toCustomer, interactions: toInteraction, deals: toDeal, cases: toCase }),
    webAccess: sqliteWebAccess(db, tenant),
    idempotency: sqliteIdempotency(db, tenant),
    erasure: sqliteErasure(db, tenant),
    customers: sqliteCustomers(scope),
    identities: sqliteIdentities(scope),
    interactions: sqliteInteractions(scope),
    deals: sqliteDeals(scope),
    cases: sqliteCases(scope),
    analytics: sqliteAnalytics(scope, reads),
    spend: sqliteSpend(scope),
    outbox: sqliteOutbox(scope),
    ledger: (plugin, name) => sqliteLedger(db, tenant, plugin, name),
    docs: <T extends { id: string }>(plugin: string, collection: string) => {
      const key = `${plugin}\0${collection}`;
      let c = collections.get(key) as DocCollection<T> | undefined;
      if (!c) collections.set(key, (c = sqliteDocs<T>(scope, plugin, collection)));
      return c;
    },
  };
}

class SqliteSystem implements SystemStore {
  readonly outbox: OutboxQueue;
  readonly rateBuckets: RateBucketRepo;
  readonly subscriptions: SubscriptionRepo;
  readonly inbox: InboxQueue;

  constructor(private readonly db: Db, door: Db) {
    this.outbox = sqliteOutboxQueue(db);
    this.rateBuckets = sqliteRateBuckets(door);
    this.subscriptions = sqliteSubscriptions(db);
    this.inbox = sqliteInbox(door);
  }

  // SQLite has no change feed: the dispatcher polls.
  watchEvents(): null {
    return null;
  }

  async firstSeen(key: string, now: string): Promise<boolean> {
    return writeBatchOf(this.db).runAtomic(() => this.db.prepare('INSERT INTO events_seen (key, at) VALUES (?, ?) ON CONFLICT DO NOTHING').run(key, now).changes === 1);
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
}

/** The file beside `file` that holds the acknowledgement path's tables (`DOOR_SCHEMA`): `crm.sqlite` -> `crm-door.sqlite`. */
export function doorFile(file: string): string {
  if (file === ':memory:') return file;
  const ext = extname(file);
  return join(dirname(file), `${basename(file, ext)}-door${ext}`);
}

/** A connection with this engine's settings. */
function connect(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  db.pragma('synchronous = NORMAL');
  // Each write of a group commit is a savepoint; SQLite keeps the pages it may undo in a sub-journal, which past 64 KiB
  // is a temp file written page by page (a pwrite each). In memory it is a copy: about 15 µs less per ingested message.
  db.pragma('temp_store = MEMORY');
  return db;
}

export function openSqliteStore(file: string): Store {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = connect(file);
  // A 64 MiB page cache (SQLite's default is 2 MiB): the digest walks the same purchase index for RFM, activity and
  // purchase facts, and a 100k-customer book's indexes then stay in memory between walks instead of being re-read.
  db.pragma('cache_size = -65536');
  // As the read threads (read-thread-entry.mjs): their walks and this connection's share the OS's copy of the file.
  db.pragma('mmap_size = 1073741824');
  // Attached for the schema steps only (they move the door's tables there); afterwards each file has its own
  // connection, so a transaction on one never takes the other's write lock.
  db.prepare('ATTACH DATABASE ? AS door').run(doorFile(file));
  migrate(db);
  const door = file === ':memory:' ? db : (db.exec('DETACH DATABASE door'), connect(doorFile(file)));
  cacheStatements(db);
  if (door !== db) cacheStatements(door);
  // The door's writes are the rate-limit spends of requests, each read by a callback of its own: gathered until the
  // end of the event loop's turn, a burst's spends share a transaction (about 70 -> 25 µs of CPU per admitted request
  // when 200 arrive at once) and a lone request waits for no timer.
  if (door !== db) openWriteBatch(door, { windowMs: 'turn', maxItems: 256 });
  db.function('unicode_lower', { deterministic: true }, (v: unknown) => String(v).toLowerCase());
  const system = new SqliteSystem(db, door);
  const reads = file === ':memory:' ? null : new SqliteReadThreads(file);
  const tenants = new Map<string, TenantStore>();
  return {
    kind: 'sqlite',
    system,
    tenant(id: string) {
      let t = tenants.get(id);
      if (!t) tenants.set(id, (t = sqliteTenant(db, id, reads)));
      return t;
    },
    async verify() {
      const rows = [db, ...(door === db ? [] : [door])].flatMap((c) => c.pragma('integrity_check') as { integrity_check: string }[]);
      return rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    },
    async ensureDocIndexes(plugin, collection, indexes) {
      return ensureSqliteDocIndexes(db, plugin, collection, indexes);
    },
    async probeWrite(now: string) {
      db.prepare('INSERT INTO store_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at').run(now);
    },
    async close() {
      await reads?.close();
      db.close();
      if (door !== db) door.close();
    },
  };
}
