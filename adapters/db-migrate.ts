import { envSchema } from '../config/schema.js';
import { migrateStore } from '../core/index.js';

/** `npm run db:migrate`: run it on purpose, once per release (see README, MongoDB engine). */
const parsed = envSchema.pick({ MONGODB_URI: true, CRM_DATA_DIR: true }).safeParse(process.env);
if (!parsed.success) {
  console.error(`db:migrate: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  process.exit(1);
}
console.log(`db:migrate: ${await migrateStore({ mongoUri: parsed.data.MONGODB_URI, dataDir: parsed.data.CRM_DATA_DIR })}`);
