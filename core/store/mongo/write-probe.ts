import { Schema, type Connection } from 'mongoose';

const probe = new Schema({ _id: String, at: Date }, { versionKey: false, strictQuery: 'throw' });

/** The one-document collection the health check writes to, to learn whether the store still takes writes. */
export function writeProbeModels(conn: Connection) {
  return { StoreProbe: conn.model('StoreProbe', probe, 'store_probe') };
}
export type WriteProbeModels = ReturnType<typeof writeProbeModels>;

export async function probeWrite(m: WriteProbeModels, now: string): Promise<void> {
  await m.StoreProbe.updateOne({ _id: 'probe' }, { $set: { at: new Date(now) } }, { upsert: true });
}
