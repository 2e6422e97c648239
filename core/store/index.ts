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

/**
 * `npm run db:migrate`: on MongoDB makes the indexes exactly the declared ones (dropping unknown ones,
 * which the engine never does at start, so rolling deploys do not race); on SQLite applies pending
 * migrations. Says what it did.
 */
export async function migrateStore(opts: { mongoUri?: string; dataDir: string }): Promise<string> {
  if (opts.mongoUri) {
    const { syncMongoIndexes } = await import('./mongo/connect.js');
    const dropped = await syncMongoIndexes(opts.mongoUri);
    return `MongoDB indexes in sync${dropped.length ? `; dropped ${dropped.join(', ')}` : ''}`;
  }
  const store = await openStore(opts);
  await store.close();
  return `SQLite under ${opts.dataDir} is at the latest schema`;
}
