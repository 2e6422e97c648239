import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Store } from '../../core/store/port.js';
import { openSqliteStore } from '../../core/store/sqlite/engine.js';

export interface EngineUnderTest {
  name: 'sqlite' | 'mongo';
  available: boolean;
  open(): Promise<Store>;
}

export const mongoUri = process.env.MONGODB_URI;

/** SQLite always; MongoDB when MONGODB_URI is set (each suite gets a fresh database). */
export const ENGINES: EngineUnderTest[] = [
  { name: 'sqlite', available: true, open: async () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'crm-contract-')), 'crm.sqlite')) },
  {
    name: 'mongo',
    available: Boolean(mongoUri),
    open: async () => {
      const { openMongoStore } = await import('../../core/store/mongo/engine.js');
      const url = new URL(mongoUri!);
      url.pathname = `/crm_contract_${randomUUID().slice(0, 8)}`;
      return openMongoStore(url.toString());
    },
  },
];
