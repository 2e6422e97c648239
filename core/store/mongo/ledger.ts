import type { ClientSession, PipelineStage } from 'mongoose';
import type { AppendResult, Ledger, LedgerEntry } from '../port.js';
import type { Models } from './models.js';
import { isDuplicateOn } from './duplicate-key.js';
import { counterFilter, floorGuardFilter, ledgerAccountFilter, ledgerKeyFilter, ledgerPrefixFilter } from './filters.js';
import { balanceMoveUpdate, balanceSeedUpdate, counterIncUpdate } from './updates.js';
import { ledgerTotalPipeline } from './ledger-total.js';

export type Txn = <T>(fn: (session: ClientSession) => Promise<T>) => Promise<T>;

class Refused extends Error {
  constructor(readonly result: AppendResult) {
    super(result.status);
  }
}

const ENTRY_KEY = { tenant: 1, plugin: 1, ledger: 1, key: 1 };

/**
 * Every append is one majority transaction (the engine runs only on replica sets): balances move under
 * their floors' guards, entries get the ledger's next sequence numbers, or nothing is written at all.
 * The sequence, not the client-made _id, is the order entries are read back in.
 */
export function mongoLedger(m: Models, txn: Txn, tenant: string, plugin: string, ledger: string): Ledger {
  const scope = { tenant, plugin, ledger };
  const balance = async (account: string, session?: ClientSession) =>
    ((await m.LedgerBalance.findOne(ledgerAccountFilter(scope, account)).session(session ?? null).lean()) as { balance?: number } | null)?.balance ?? 0;
  /** Reserves `n` sequence numbers inside the append's transaction: concurrent appends conflict here and retry, so the order is the commit order. */
  const nextSeq = async (n: number, session: ClientSession) => {
    const r = (await m.Counter.findOneAndUpdate(counterFilter(tenant, `ledger:${plugin}:${ledger}`), counterIncUpdate(n), { upsert: true, returnDocument: 'after', lean: true, session })) as { value: number };
    return r.value - n + 1;
  };

  return {
    append: async (entries, floors = {}) => {
      try {
        return await txn(async (session) => {
          if (entries.length && (await m.LedgerEntry.exists(ledgerKeyFilter(scope, entries[0]!.key)).session(session))) throw new Refused({ status: 'duplicate' });
          const deltas = new Map<string, number>();
          for (const e of entries) deltas.set(e.account, (deltas.get(e.account) ?? 0) + e.delta);
          for (const account of Object.keys(floors)) if (!deltas.has(account)) deltas.set(account, 0);
          const balances: Record<string, number> = {};
          for (const [account, delta] of deltas) {
            await m.LedgerBalance.updateOne(ledgerAccountFilter(scope, account), balanceSeedUpdate(), { upsert: true, session });
            const r = (await m.LedgerBalance.findOneAndUpdate(floorGuardFilter(scope, account, delta, floors[account]), balanceMoveUpdate(delta), { returnDocument: 'after', lean: true, session })) as { balance: number } | null;
            if (!r) throw new Refused({ status: 'insufficient', account, balance: await balance(account, session) });
            balances[account] = r.balance;
          }
          const seq = entries.length ? await nextSeq(entries.length, session) : 0;
          try {
            await m.LedgerEntry.insertMany(entries.map((e, i) => ({ ...scope, ...e, seq: seq + i })), { session, ordered: true });
          } catch (e) {
            if (!isDuplicateOn(e, ENTRY_KEY)) throw e;
            throw new Refused({ status: 'duplicate' });
          }
          return { status: 'ok' as const, balances };
        });
      } catch (e) {
        if (e instanceof Refused) return e.result;
        throw e;
      }
    },
    balance: (account) => balance(account),
    entries: async (account, limit = 10_000) =>
      ((await m.LedgerEntry.find(ledgerAccountFilter(scope, account)).sort({ seq: 1 }).limit(limit).lean()) as unknown as LedgerEntry[]).map(strip),
    entriesByPrefix: async (prefix, limit = 100_000) => {
      return ((await m.LedgerEntry.find(ledgerPrefixFilter(scope, prefix)).sort({ seq: 1 }).limit(limit).lean()) as unknown as LedgerEntry[]).map(strip);
    },
    total: async (accounts, window, matches) => {
      if (!accounts.length || !matches.length) return 0;
      const [r] = (await m.LedgerEntry.aggregate(ledgerTotalPipeline(scope, accounts, window, matches) as unknown as PipelineStage[])) as { total: number }[];
      return r?.total ?? 0;
    },
    eraseAccount: async (account) => {
      await m.LedgerBalance.deleteOne(ledgerAccountFilter(scope, account));
      return (await m.LedgerEntry.deleteMany(ledgerAccountFilter(scope, account))).deletedCount;
    },
  };
}

function strip(e: LedgerEntry): LedgerEntry {
  return { key: e.key, account: e.account, delta: e.delta, kind: e.kind, at: e.at, data: e.data };
}
