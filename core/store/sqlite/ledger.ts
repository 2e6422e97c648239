import type { Database } from 'better-sqlite3';
import type { AppendResult, Ledger, LedgerEntry } from '../port.js';

type Row = Record<string, unknown>;
const toEntry = (r: Row): LedgerEntry => ({
  key: String(r.key), account: String(r.account), delta: Number(r.delta), kind: String(r.kind), at: String(r.at), data: JSON.parse(String(r.data)),
});

/** Entries and the cached balances change in one IMMEDIATE transaction: never one without the other. */
export function sqliteLedger(db: Database, tenant: string, plugin: string, name: string): Ledger {
  const scope = [tenant, plugin, name] as const;
  const exists = db.prepare('SELECT 1 FROM ledger_entries WHERE tenant = ? AND plugin = ? AND ledger = ? AND key = ?');
  const balanceOf = db.prepare('SELECT balance FROM ledger_balances WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ?');
  const insert = db.prepare('INSERT INTO ledger_entries (tenant, plugin, ledger, key, account, delta, kind, at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const bump = db.prepare(`INSERT INTO ledger_balances (tenant, plugin, ledger, account, balance) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT DO UPDATE SET balance = balance + excluded.balance RETURNING balance`);
  const listAccount = db.prepare('SELECT * FROM ledger_entries WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ? ORDER BY seq LIMIT ?');
  const listPrefix = db.prepare('SELECT * FROM ledger_entries WHERE tenant = ? AND plugin = ? AND ledger = ? AND substr(account, 1, ?) = ? ORDER BY seq LIMIT ?');
  const balance = (account: string) => (balanceOf.get(...scope, account) as { balance: number } | undefined)?.balance ?? 0;

  const append = db.transaction((entries: LedgerEntry[], floors: Record<string, number>): AppendResult => {
    if (entries.length && exists.get(...scope, entries[0]!.key)) return { status: 'duplicate' };
    const after: Record<string, number> = {};
    for (const e of entries) after[e.account] = (after[e.account] ?? balance(e.account)) + e.delta;
    for (const [account, floor] of Object.entries(floors)) {
      if ((after[account] ?? balance(account)) < floor) return { status: 'insufficient', account, balance: balance(account) };
    }
    const balances: Record<string, number> = {};
    for (const e of entries) {
      insert.run(...scope, e.key, e.account, e.delta, e.kind, e.at, JSON.stringify(e.data));
      balances[e.account] = (bump.get(...scope, e.account, e.delta) as { balance: number }).balance;
    }
    return { status: 'ok', balances };
  });

  return {
    append: async (entries, floors = {}) => append.immediate(entries, floors),
    balance: async (account) => balance(account),
    entries: async (account, limit = 10_000) => (listAccount.all(...scope, account, limit) as Row[]).map(toEntry),
    entriesByPrefix: async (prefix, limit = 100_000) => (listPrefix.all(...scope, prefix.length, prefix, limit) as Row[]).map(toEntry),
    eraseAccount: async (account) =>
      db.transaction(() => {
        db.prepare('DELETE FROM ledger_balances WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ?').run(...scope, account);
        return db.prepare('DELETE FROM ledger_entries WHERE tenant = ? AND plugin = ? AND ledger = ? AND account = ?').run(...scope, account).changes;
      }).immediate(),
  };
}
