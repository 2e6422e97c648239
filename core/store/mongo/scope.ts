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
  /** The first of `n` next ids of a kind, taken in one step in the caller's transaction (a batch of records). */
  nextIds: (name: string, n: number, session: ClientSession) => Promise<number>;
  /** Appends a stored fact's events in the fact's own transaction and hands the fact back. */
  withEvents: <R>(fact: R, events: EventsOf<R> | undefined, session: ClientSession) => Promise<R>;
  /** The same for facts stored together: all their events appended in one write, in the facts' order. */
  withEventsOfAll: <R>(facts: { fact: R; events: EventsOf<R> | undefined }[], session: ClientSession) => Promise<R[]>;
}

/** Atomically takes the next `n` values of a counter; returns the first. */
export async function nextId(m: Models, tenant: string, name: string, session?: ClientSession, n = 1): Promise<number> {
  const r = await m.Counter.findOneAndUpdate(counterFilter(tenant, name), counterIncUpdate(n), { upsert: true, returnDocument: 'after', lean: true, session });
  return (r as unknown as { value: number }).value - n + 1;
}

export function scopeOf(m: Models, txn: Txn, tenant: string, ev: EventModels): Scope {
  return {
    m, txn, tenant,
    nextId: (name, t = tenant, session) => nextId(m, t, name, session),
    nextIds: (name, n, session) => nextId(m, tenant, name, session, n),
    withEvents: async (fact, events, session) => {
      await appendMongoEvents(ev, m.Counter, tenant, events?.(fact) ?? [], session);
      return fact;
    },
    withEventsOfAll: async (facts, session) => {
      await appendMongoEvents(ev, m.Counter, tenant, facts.flatMap(({ fact, events }) => events?.(fact) ?? []), session);
      return facts.map(({ fact }) => fact);
    },
  };
}
