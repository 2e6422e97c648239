import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../config/index.js';
import { adaptersFor } from '../../adapters/compose.js';
import { isDeepStrictEqual } from 'node:util';
import { openStore, rfmScores, seeded, startApp, type Interaction, type Purchase, type TenantStore } from '../../core/index.js';
import type { BenchOptions, BenchRow } from '../types.js';
import { percentile, pool, timed } from '../stats.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'crm-bench-'));
/** The core alone: no plugins, so each figure is the engine's. */
// Limits far above the load: this suite measures the pipeline, not the rate limiter refusing one loopback source.
const coreConfig = () => loadConfig({ CRM_DATA_DIR: tmp(), PORT: '0', CRM_CONFIG: 'bench.json' }, () =>
  JSON.stringify({ plugins: {}, rateLimit: { commandsPerMinute: 1_000_000, sourcePerMinute: 1_000_000 } }));
const DAY = 86_400_000;

/**
 * RFM for N customers and 10N purchases, both sides starting from the same store: the engine's RFM (SQL totals
 * per customer, scored by core/kpi) vs reading every purchase out of the store a page at a time and scoring them
 * in memory with rfmScores, as a caller without the engine's RFM would have to.
 */
async function rfmBench(opts: BenchOptions): Promise<BenchRow[]> {
  const customers = Math.round(100_000 * opts.scale);
  const interactions = customers * 10;
  const store = await openStore({ dataDir: tmp() });
  const ts = store.tenant('bench');
  const rnd = seeded(7);
  const asOf = '2026-11-01T00:00:00.000Z';
  opts.log(`rfm: loading ${customers} customers and ${interactions} purchases into sqlite`);
  for (let from = 0; from < interactions; from += 20_000) {
    const batch: Interaction[] = [];
    for (let i = from; i < Math.min(from + 20_000, interactions); i++) {
      const p = { customerId: 1 + (i % customers), at: new Date(Date.parse(asOf) - rnd.int(0, 730) * DAY).toISOString(), amountMinor: rnd.int(100, 100_000), currency: 'USD' };
      batch.push({ tenant: 'bench', id: i + 1, customerId: p.customerId, identity: null, type: 'purchase', channel: 'bench', direction: 'in', text: '', amountMinor: p.amountMinor, currency: 'USD', occurredAt: p.at, sourceEventId: null });
    }
    await ts.bulk.import({ interactions: batch });
  }
  const money = { currency: 'USD', fx: {} };
  const engine = await timed(() => ts.analytics.rfm(asOf, money));
  const memory = await timed(async () => rfmScores(await storedPurchases(ts), asOf, money));
  if (!isDeepStrictEqual(engine.value, memory.value)) throw new Error('RFM in the store differs from rfmScores over the stored purchases');
  await store.close();
  const ratio = memory.ms / engine.ms;
  return [{
    name: `RFM scores, ${customers} customers / ${interactions} purchases`, engine: 'sqlite', figure: engine.ms, baseline: memory.ms, unit: 'ms',
    baselineName: 'read the purchases from the store (pages of 20,000), then in-memory rfmScores', ratio, target: { text: '>= 1x', pass: ratio >= 1 },
  }];
}

/** Every purchase of the tenant, read the way the bulk export reads: by id, a page at a time. */
async function storedPurchases(ts: TenantStore): Promise<Purchase[]> {
  const out: Purchase[] = [];
  for (let page = await ts.bulk.page('interactions', 0, 20_000); page.length; page = await ts.bulk.page('interactions', page.at(-1)!.id, 20_000)) {
    for (const i of page) if (i.type === 'purchase' && i.customerId !== null) out.push({ customerId: i.customerId, at: i.occurredAt, amountMinor: i.amountMinor ?? 0, currency: i.currency });
  }
  return out;
}

/** Plain community messages through engine.handle (dedupe, identity, store, bus) vs raw interaction inserts. */
async function ingestBench(opts: BenchOptions): Promise<BenchRow[]> {
  const n = Math.round(20_000 * opts.scale);
  const app = await startApp({ config: coreConfig(), role: 'web', adapters: [], pluginsDir: tmp(), logger: pino({ level: 'silent' }) });
  const full = await timed(async () => {
    for (let i = 0; i < n; i++) {
      await app.engine.handle({ platform: 'web', scope: null, actor: { identity: `web:u${i % 500}`, displayName: 'u' }, channel: 'general', eventId: `e${i}`, text: `hello number ${i}` });
    }
  });
  const ts = app.engine.store.tenant('raw');
  const raw = await timed(async () => {
    for (let i = 0; i < n; i++) {
      await ts.interactions.add({ customerId: null, identity: `web:u${i % 500}`, type: 'message', channel: 'general', direction: 'in', text: `hello number ${i}`, amountMinor: null, currency: null, occurredAt: new Date().toISOString(), sourceEventId: `raw:${i}` });
    }
  });
  await app.stop();
  const perSec = (ms: number) => (n / ms) * 1000;
  return [{
    name: `ingest ${n} messages through the full pipeline`, engine: 'sqlite', figure: perSec(full.ms), baseline: perSec(raw.ms), unit: 'msg/s',
    baselineName: 'raw idempotent interaction inserts', ratio: perSec(full.ms) / perSec(raw.ms),
  }];
}

/** Command round trips over HTTP with 32 clients in flight: p50/p99 vs /healthz under the same load. */
async function commandLatencyBench(opts: BenchOptions): Promise<BenchRow[]> {
  const n = Math.round(5_000 * opts.scale);
  const config = coreConfig();
  const app = await startApp({ config, role: 'all', adapters: await adaptersFor(config), pluginsDir: tmp(), logger: pino({ level: 'silent' }) });
  const url = `http://127.0.0.1:${app.port}`;
  const commands = await pool(n, 32, async (i) => {
    const res = await fetch(`${url}/web/api/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: `u${i % 200}`, text: '/deal list' }) });
    if (res.status !== 200) throw new Error(`status ${res.status}`);
    await res.arrayBuffer();
  });
  const health = await pool(n, 32, async () => {
    await (await fetch(`${url}/healthz`)).arrayBuffer();
  });
  await app.stop();
  return [50, 99].map((p) => ({
    name: `command ack p${p}, ${n} requests, 32 concurrent`, engine: 'sqlite', figure: percentile(commands, p), baseline: percentile(health, p), unit: 'ms',
    baselineName: 'GET /healthz under the same load', ratio: percentile(health, p) / percentile(commands, p),
  }));
}

export async function bench(opts: BenchOptions): Promise<BenchRow[]> {
  return [...(await ingestBench(opts)), ...(await commandLatencyBench(opts)), ...(await rfmBench(opts))];
}
