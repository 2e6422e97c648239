import type { Txn } from './ledger.js';
import type { Models } from './models.js';

/** What every repository of one tenant works with: the models, the transaction runner, the tenant, its id counters. */
export interface Scope {
  m: Models;
  txn: Txn;
  tenant: string;
  /** The next short sequential id of a kind (`customer`, `deal`, ...), per tenant (outbox ids are per `_system`). */
  nextId: (name: string, tenant?: string) => Promise<number>;
}

/** Atomically takes the next value of a counter. */
export async function nextId(m: Models, tenant: string, name: string): Promise<number> {
  const r = await m.Counter.findOneAndUpdate({ tenant, name }, { $inc: { value: 1 } }, { upsert: true, returnDocument: 'after', lean: true });
  return (r as unknown as { value: number }).value;
}
