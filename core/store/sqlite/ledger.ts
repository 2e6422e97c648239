import type { Database } from 'better-sqlite3';
import { GroupCommit } from '../group-commit.js';
import type { AppendResult, Ledger, LedgerEntry, LedgerMatch } from '../port.js';
import { assertFieldName } from '../where.js';

type Row = Record<string, unknown>;
type Scope = readonly [tenant: string, plugin: string, ledger: string];
const toEntry = (r: Row): LedgerEntry => ({
  key: String(r.key), account: String(r.account), delta: Number(r.delta), kind: String(r.kind), at: String(r.at), data: JSON.parse(String(r.data)),
});

/** One caller's append waiting for its batch; `outcome` is set inside the batch's transaction. */
interface PendingAppend {
  scope: Scope;
  entries: LedgerEntry[];
  floors: Record<string, number>;
  outcome?: { result: AppendResult } | { error: unknown };
}

/** Thrown inside an append's savepoint to undo it: an account went below its floor. */
class BelowFloor extends Error {
  constructor(readonly account: string) {
    super(`below floor: ${account}`);
  }
}

const MAX_BATCH = 256;
const appenders = new WeakMap<Database, GroupCommit<PendingAppend>>();

/**
 * Appends that arrive in the same turn of the event loop (a burst of earns, whatever their tenant or ledger)
 * are committed in one IMMEDIATE transaction, each in its own savepoint so it stays all-or-nothing on its own;
 * a caller awaiting appends one by one gets one transaction each, with no timer. One appender per database.
 */
function appenderOf(db: Database): GroupCommit<PendingAppend> {
  const known = appenders.get(db);
  if (known) return known;
  const balanceOf = db.prepare('SELECT balance FROM ledger_balances WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ?');
  const insert = db.prepare('INSERT INTO ledger_entries (tenant, plugin, ledger, key, account, delta, kind, at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const bump = db.prepare(`INSERT INTO ledger_balances (tenant, plugin, ledger, account, balance) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET balance = balance + excluded.balance RETURNING balance`);
  const balance = (scope: Scope, account: string) => (balanceOf.get(...scope, account) as { balance: number } | undefined)?.balance ?? 0;

  // Writes first and checks after: the unique key refuses a retried entry, a floor check that fails undoes the savepoint.
  const write = (a: PendingAppend): AppendResult => {
    const balances: Record<string, number> = {};
    for (const e of a.entries) {
      insert.run(...a.scope, e.key, e.account, e.delta, e.kind, e.at, JSON.stringify(e.data));
      balances[e.account] = (bump.get(...a.scope, e.account, e.delta) as { balance: number }).balance;
    }
    for (const [account, floor] of Object.entries(a.floors)) if ((balances[account] ?? balance(a.scope, account)) < floor) throw new BelowFloor(account);
    return { status: 'ok', balances };
  };
  const inSavepoint = db.transaction(write);
  // One entry and no floor needs no savepoint: only its insert can be refused, and a refused statement writes nothing.
  const one = (a: PendingAppend) => (a.entries.length === 1 && !Object.keys(a.floors).length ? write(a) : inSavepoint(a));
  const batch = db.transaction((items: PendingAppend[]) => {
    for (const a of items) {
      try {
        a.outcome = { result: one(a) };
      } catch (e) {
        if (e instanceof BelowFloor) a.outcome = { result: { status: 'insufficient', account: e.account, balance: balance(a.scope, e.account) } };
        else if ((e as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') a.outcome = { result: { status: 'duplicate' } };
        else a.outcome = { error: e };
      }
    }
  });
  const appender = new GroupCommit<PendingAppend>({ windowMs: 'turn', maxItems: MAX_BATCH }, async (items) => batch.immediate(items));
  appenders.set(db, appender);
  return appender;
}

/**
 * The WHERE tail and its arguments for a ledger total: the accounts, the window, and one clause per match
 * (data fields by name through json_extract; names checked, values bound as text).
 */
export function totalWhere(accounts: readonly string[], window: { from: string; to: string }, matches: readonly LedgerMatch[]): { sql: string; args: string[] } {
  const args: string[] = [...accounts.map(String), String(window.from), String(window.to)];
  const clauses = matches.map((m) => {
    args.push(String(m.kind));
    const data = Object.entries(m.data ?? {}).map(([field, value]) => {
      args.push(String(value));
      return ` AND json_extract(data, '$.${assertFieldName(field)}') = ?`;
    });
    return `(kind = ?${data.join('')})`;
  });
  return { sql: `account IN (${accounts.map(() => '?').join(', ')}) AND at > ? AND at <= ? AND (${clauses.join(' OR ')})`, args };
}

/** Entries and the cached balances change in one IMMEDIATE transaction: never one without the other. */
export function sqliteLedger(db: Database, tenant: string, plugin: string, name: string): Ledger {
  const scope: Scope = [tenant, plugin, name];
  const balanceOf = db.prepare('SELECT balance FROM ledger_balances WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ?');
  const listAccount = db.prepare('SELECT * FROM ledger_entries WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ? ORDER BY seq LIMIT ?');
  const listPrefix = db.prepare('SELECT * FROM ledger_entries WHERE tenant = ? AND plugin = ? AND ledger = ? AND substr(account, 1, ?) = ? ORDER BY seq LIMIT ?');
  const appender = appenderOf(db);

  return {
    append: async (entries, floors = {}) => {
      const pending: PendingAppend = { scope, entries, floors };
      await appender.add(pending);
      if ('error' in pending.outcome!) throw pending.outcome.error;
      return pending.outcome!.result;
    },
    balance: async (account) => (balanceOf.get(...scope, account) as { balance: number } | undefined)?.balance ?? 0,
    entries: async (account, limit = 10_000) => (listAccount.all(...scope, account, limit) as Row[]).map(toEntry),
    entriesByPrefix: async (prefix, limit = 100_000) => (listPrefix.all(...scope, prefix.length, prefix, limit) as Row[]).map(toEntry),
    total: async (accounts, window, matches) => {
      if (!accounts.length || !matches.length) return 0;
      const w = totalWhere(accounts, window, matches);
      return (db.prepare(`SELECT COALESCE(SUM(delta), 0) AS total FROM ledger_entries WHERE tenant = ? AND plugin = ? AND ledger = ? AND ${w.sql}`)
        .get(...scope, ...w.args) as { total: number }).total;
    },
    eraseAccount: async (account) =>
      db.transaction(() => {
        db.prepare('DELETE FROM ledger_balances WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ?').run(...scope, account);
        return db.prepare('DELETE FROM ledger_entries WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ?').run(...scope, account).changes;
      }).immediate(),
  };
}
