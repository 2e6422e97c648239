import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../../config/index.js';
import { adaptersFor } from '../../adapters/compose.js';
import { openStore, startApp, type Adapter, type RunningApp, type Store } from '../../core/index.js';
import type { AppConfig } from '../../config/index.js';

export interface TestApp extends RunningApp {
  url: string;
  dataDir: string;
}

/**
 * Starts the real app (all roles, SQLite in a fresh temp dir, port 0) with the given environment
 * (an empty value removes a variable), optionally a config file object. Adapters are chosen from the
 * environment exactly as in production, unless `adapters` picks them.
 */
export async function startTestApp(
  env: Record<string, string> = {}, file?: object, adapters?: (config: AppConfig) => Adapter[], clock?: () => number,
  wrapStore?: (store: Store) => Store,
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-test-'));
  const raw: Record<string, string> = { PORT: '0', HOST: '127.0.0.1', CRM_DATA_DIR: dataDir, ...env };
  for (const k of Object.keys(raw)) if (raw[k] === '') delete raw[k];
  if (file) raw.CRM_CONFIG = join(dataDir, 'config.json');
  const config = loadConfig(raw, () => JSON.stringify(file ?? {}));
  const app = await startApp({
    config,
    store: wrapStore ? wrapStore(await openStore({ dataDir: raw.CRM_DATA_DIR! })) : undefined,
    role: 'all',
    adapters: adapters ? adapters(config) : await adaptersFor(config),
    clock,
    pluginsDir: fileURLToPath(new URL('../../plugins/', import.meta.url)),
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  });
  return { ...app, url: `http://127.0.0.1:${app.port}`, dataDir: raw.CRM_DATA_DIR! };
}

/**
 * A clock that runs from today's 12:00 UTC as real time passes: for tests of what a person sees at once, which
 * the surveys' quiet hours (21:00-08:00 local) would otherwise hold until morning when the suite runs at night.
 */
export function middayClock(): () => number {
  const start = Date.now();
  const noon = Date.parse(`${new Date(start).toISOString().slice(0, 10)}T12:00:00.000Z`);
  return () => noon + (Date.now() - start);
}

/** POST JSON to the web chat API. */
export async function web(app: TestApp, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** Types a line in the web chat as `user` and returns the replies. */
export async function say(app: TestApp, user: string, text: string): Promise<any[]> {
  const r = await web(app, '/web/api/message', { user, text });
  if (r.status !== 200) throw new Error(`web chat answered ${r.status}: ${JSON.stringify(r.json)}`);
  return r.json.replies;
}
