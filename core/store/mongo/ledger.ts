import type { ClientSession } from 'mongoose';
import type { AppendResult, Ledger, LedgerEntry } from '../port.js';
import type { Models } from './models.js';

export type Txn = <T>(fn: (session: ClientSession | undefined) => Promise<T>) => Promise<T>;

class Refused extends Error {
  constructor(readonly result: AppendResult) {
    super(result.status);
  }
}

const isDuplicate = (e: unknown) => (e as { code?: number }).code === 11000 || (e as { writeErrors?: { code: number }[] }).writeErrors?.[0]?.code === 11000;

/**
 * On a replica set every append is one transaction. On a standalone server the guarded balance
 * updates and the entry insert run in order and are compensated when a later step refuses; a crash
 * between them can leave the balance cache off, which is why production runs on a replica set.
 */
export function mongoLedger(m: Models, txn: Txn, tenant: string, plugin: string, ledger: string): Ledger {
  const scope = { tenant, plugin, ledger };
  const balance = async (account: string, session?: ClientSession) =>
    ((await m.LedgerBalance.findOne({ ...scope, account }).session(session ?? null).lean()) as { balance?: number } | null)?.balance ?? 0;

  return {
    append: async (entries, floors = {}) => {
      try {
        return await txn(async (session) => {
          const done: [string, number][] = [];
          const undo = async () => {
            if (session) return;
            for (const [account, delta] of done) await m.LedgerBalance.updateOne({ ...scope, account }, { $inc: { balance: -delta } });
          };
          if (entries.length && (await m.LedgerEntry.exists({ ...scope, key: entries[0]!.key }).session(session ?? null))) throw new Refused({ status: 'duplicate' });
          const deltas = new Map<string, number>();
          for (const e of entries) deltas.set(e.account, (deltas.get(e.account) ?? 0) + e.delta);
          for (const account of Object.keys(floors)) if (!deltas.has(account)) deltas.set(account, 0);
          const balances: Record<string, number> = {};
          for (const [account, delta] of deltas) {
            await m.LedgerBalance.updateOne({ ...scope, account }, { $setOnInsert: { balance: 0 } }, { upsert: true, session });
            const floor = floors[account];
            const guard = floor === undefined ? {} : { balance: { $gte: floor - delta } };
            const r = (await m.LedgerBalance.findOneAndUpdate({ ...scope, account, ...guard }, { $inc: { balance: delta } }, { returnDocument: 'after', lean: true, session })) as { balance: number } | null;
            if (!r) {
              await undo();
              throw new Refused({ status: 'insufficient', account, balance: await balance(account, session) });
            }
            done.push([account, delta]);
            balances[account] = r.balance;
          }
          try {
            await m.LedgerEntry.insertMany(entries.map((e) => ({ ...scope, ...e })), { session, ordered: true });
          } catch (e) {
            if (!isDuplicate(e)) throw e;
            await undo();
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
      ((await m.LedgerEntry.find({ ...scope, account: String(account) }).sort({ _id: 1 }).limit(limit).lean()) as unknown as LedgerEntry[]).map(strip),
    entriesByPrefix: async (prefix, limit = 100_000) => {
      const re = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
      return ((await m.LedgerEntry.find({ ...scope, account: re }).sort({ _id: 1 }).limit(limit).lean()) as unknown as LedgerEntry[]).map(strip);
    },
    eraseAccount: async (account) => {
      await m.LedgerBalance.deleteOne({ ...scope, account });
      return (await m.LedgerEntry.deleteMany({ ...scope, account })).deletedCount;
    },
  };
}

function strip(e: LedgerEntry): LedgerEntry {
  return { key: e.key, account: e.account, delta: e.delta, kind: e.kind, at: e.at, data: e.data };
}
