import type { Model } from 'mongoose';
import type { EventsOf } from '../port.js';
import type { Doc } from './codecs.js';
import type { Scope } from './scope.js';

/**
 * A record numbered per tenant (customer, deal, case): created under the next id of its kind together with
 * its events in one transaction, and read back by that id.
 */
export function numbered<R>({ txn, tenant, nextId, withEvents }: Scope, kind: string, model: Model<any>, decode: (doc: Doc) => R) {
  return {
    create: (build: (id: number) => Doc, events: EventsOf<R> | undefined): Promise<R> => txn(async (session) => {
      const doc = build(await nextId(kind, tenant, session));
      await model.create([doc], { session });
      return withEvents(decode(doc), events, session);
    }),
    get: async (id: number): Promise<R | null> => {
      const r = (await model.findOne({ tenant, id }).lean()) as Doc | null;
      return r ? decode(r) : null;
    },
  };
}
