import type { ClientSession } from 'mongoose';
import type { EventsOf } from '../port.js';
import type { Txn } from './ledger.js';
import type { Models } from './models.js';
import { appendMongoEvents, type EventModels } from './event-log.js';
import { counterFilter } from './filters.js';
import { counterIncUpdate } from './updates.js';

/** What every repository of one tenant works with: the models, the transaction runner, the tenant, its id counters. */
export interface Scope {
  m: Models;
  txn: Txn;
  tenant: string;
  /** The next short sequential id of a kind (`customer`, `deal`, ...), per tenant (outbox ids are per `_system`); in the caller's transaction when given. */
  nextId: (name: string, tenant?: string, session?: ClientSession) => Promise<number>;
  /** Appends a stored fact's events in the fact's own transaction and hands the fact back. */
  withEvents: <R>(fact: R, events: EventsOf<R> | undefined, session: ClientSession) => Promise<R>;
}

/** Atomically takes the next value of a counter. */
export async function nextId(m: Models, tenant: string, name: string, session?: ClientSession): Promise<number> {
  const r = await m.Counter.findOneAndUpdate(counterFilter(tenant, name), counterIncUpdate(), { upsert: true, returnDocument: 'after', lean: true, session });
  return (r as unknown as { value: number }).value;
}

export function scopeOf(m: Models, txn: Txn, tenant: string, ev: EventModels): Scope {
  return {
    m, txn, tenant,
    nextId: (name, t = tenant, session) => nextId(m, t, name, session),
    withEvents: async (fact, events, session) => {
      await appendMongoEvents(ev, m.Counter, tenant, events?.(fact) ?? [], session);
      return fact;
    },
  };
}
