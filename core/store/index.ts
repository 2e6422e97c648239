import { join } from 'node:path';
import type { Store } from './port.js';

export type * from './port.js';

/** MongoDB when a URI is given, embedded SQLite under the data dir otherwise. Engines load lazily. */
export async function openStore(opts: { mongoUri?: string; dataDir: string }): Promise<Store> {
  if (opts.mongoUri) {
    const { openMongoStore } = await import('./mongo/engine.js');
    return openMongoStore(opts.mongoUri);
  }
  const { openSqliteStore } = await import('./sqlite/engine.js');
  return openSqliteStore(join(opts.dataDir, 'crm.sqlite'));
}
