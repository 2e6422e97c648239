import type { Model } from 'mongoose';
import { MAJORITY } from './replica-set.js';
import { leasedFilter } from './filters.js';

/** Part keys become field names under `parts`: our own short keys, never with a dot or a leading `$`. */
export function partField(part: string): string {
  if (!/^[a-z][a-z0-9:_-]{0,63}$/i.test(part)) throw new Error(`invalid outbox part key: ${part}`);
  return `parts.${part}`;
}

/** Records a delivered part on the outbox document; only the lease holder may, as on SQLite. */
export async function mongoMarkPart(outbox: Model<any>, id: number, holder: string, part: string, ref: string | null): Promise<boolean> {
  return (await outbox.updateOne(leasedFilter(id, holder), { $set: { [partField(part)]: ref } }, { writeConcern: MAJORITY })).modifiedCount === 1;
}
