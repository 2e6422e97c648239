import { Schema, type Connection } from 'mongoose';
import type { InboxItem, InboxQueue } from '../port.js';
import { heldInboxFilter, idFilter, idsFilter, staleInboxFilter } from './filters.js';
import { inboxLeaseUpdate, insertOnlyUpdate, leaseUntilUpdate } from './updates.js';
import { d } from './codecs.js';

const record = new Schema({ _id: String, event: String, holder: String, leaseUntil: Date }, { versionKey: false, strictQuery: 'throw' });
record.index({ leaseUntil: 1 });

export function inboxModels(conn: Connection) {
  return { Inbox: conn.model('Inbox', record, 'inbox') };
}
export type InboxModels = ReturnType<typeof inboxModels>;

type Doc = { _id: string; event: string; holder: string; leaseUntil: Date };
const toItem = (r: Doc): InboxItem => ({ id: r._id, event: r.event, holder: r.holder, leaseUntil: r.leaseUntil.toISOString() });

/** Acknowledged requests not yet handled; a batch of appends or done marks is one bulk write. */
export function mongoInbox(m: InboxModels): InboxQueue {
  return {
    append: async (items) => {
      if (!items.length) return;
      // An id already recorded stays as it was: insert-only upserts.
      await m.Inbox.bulkWrite(items.map((i) => ({
        updateOne: { filter: idFilter(i.id), update: insertOnlyUpdate({ event: i.event, holder: i.holder, leaseUntil: d(i.leaseUntil) }), upsert: true },
      })), { ordered: false });
    },
    done: async (ids) => {
      if (ids.length) await m.Inbox.deleteMany(idsFilter(ids));
    },
    claimStale: async (holder, now, leaseUntil, limit) => {
      const out: InboxItem[] = [];
      // One atomic take per item, so two processes never take the same one.
      while (out.length < limit) {
        const r = (await m.Inbox.findOneAndUpdate(staleInboxFilter(d(now)), inboxLeaseUpdate(holder, d(leaseUntil)),
          { sort: { leaseUntil: 1, _id: 1 }, returnDocument: 'after' }).lean()) as Doc | null;
        if (!r) break;
        out.push(toItem(r));
      }
      return out.sort((a, b) => (a.id < b.id ? -1 : 1));
    },
    extend: async (ids, holder, leaseUntil) => {
      if (ids.length) await m.Inbox.updateMany(heldInboxFilter(ids, holder), leaseUntilUpdate(d(leaseUntil)));
    },
  };
}
