import type { Model } from 'mongoose';
import type { EventsOf } from '../port.js';
import type { Doc } from './codecs.js';
import { isDuplicateOn } from './duplicate-key.js';
import type { Scope } from './scope.js';

/** The unique partial index on the inbound event that created a record (see `sourceKeyIndex` in models.ts). */
const SOURCE_KEY = { tenant: 1, sourceEventId: 1 } as const;

/**
 * A record numbered per tenant (customer, deal, case): created under the next id of its kind together with
 * its events in one transaction, and read back by that id. Created under an inbound event's key, the record
 * that key already created is returned instead, found first or by the unique index refusing a second one.
 */
export function numbered<R>({ txn, tenant, nextId, withEvents }: Scope, kind: string, model: Model<any>, decode: (doc: Doc) => R) {
  const bySource = async (sourceEventId: string): Promise<R | null> => {
    const r = (await model.findOne({ tenant, sourceEventId }).lean()) as Doc | null;
    return r ? decode(r) : null;
  };
  return {
    create: async (build: (id: number) => Doc, events: EventsOf<R> | undefined, sourceEventId?: string | null): Promise<R> => {
      const key = sourceEventId ?? null;
      const earlier = key === null ? null : await bySource(key);
      if (earlier) return earlier;
      try {
        return await txn(async (session) => {
          const doc = { ...build(await nextId(kind, tenant, session)), ...(key === null ? {} : { sourceEventId: key }) };
          await model.create([doc], { session });
          return withEvents(decode(doc), events, session);
        });
      } catch (e) {
        const raced = key !== null && isDuplicateOn(e, SOURCE_KEY) ? await bySource(key) : null;
        if (raced) return raced;
        throw e;
      }
    },
    bySource,
    get: async (id: number): Promise<R | null> => {
      const r = (await model.findOne({ tenant, id }).lean()) as Doc | null;
      return r ? decode(r) : null;
    },
  };
}
