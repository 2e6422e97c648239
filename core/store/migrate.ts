import { envSchema } from '../../config/schema.js';
import { openStore } from './index.js';

/**
 * `npm run db:migrate`: on MongoDB makes the indexes exactly the declared ones (dropping unknown ones,
 * which the engine never does at start, so rolling deploys do not race); on SQLite applies pending
 * migrations. Run it on purpose, once per release.
 */
const parsed = envSchema.pick({ MONGODB_URI: true, CRM_DATA_DIR: true }).safeParse(process.env);
if (!parsed.success) {
  console.error(`db:migrate: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(1);
}
const env = parsed.data;
if (env.MONGODB_URI) {
  const { syncMongoIndexes } = await import('./mongo/connect.js');
  const dropped = await syncMongoIndexes(env.MONGODB_URI);
  console.log(`db:migrate: MongoDB indexes in sync${dropped.length ? `; dropped ${dropped.join(', ')}` : ''}`);
} else {
  const store = await openStore({ dataDir: env.CRM_DATA_DIR });
  await store.close();
  console.log(`db:migrate: SQLite under ${env.CRM_DATA_DIR} is at the latest schema`);
}
