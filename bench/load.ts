import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../config/index.js';
import { adaptersFor } from '../adapters/main.js';
import { startApp } from '../core/index.js';
import { percentile } from './stats.js';

/**
 * Load test: `npm run load [-- --seconds 20 --concurrency 32]`. Clients post `/log note` commands for a fixed
 * time; prints p50/p99 ack latency, errors, and checks every acknowledged command was stored exactly once.
 */
const { values } = parseArgs({ options: { seconds: { type: 'string', default: '15' }, concurrency: { type: 'string', default: '32' } } });
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);

// The per-identity rate limit would (rightly) refuse most of this traffic; the load test measures the pipeline.
const config = loadConfig({ CRM_DATA_DIR: mkdtempSync(join(tmpdir(), 'crm-load-')), PORT: '0', CRM_CONFIG: 'load.json' }, () => JSON.stringify({ rateLimit: { commandsPerMinute: 1_000_000 } }));
const app = await startApp({ config, role: 'all', adapters: await adaptersFor(config), pluginsDir: mkdtempSync(join(tmpdir(), 'crm-load-plugins-')), logger: pino({ level: 'silent' }) });
const url = `http://127.0.0.1:${app.port}`;
await fetch(`${url}/web/api/message`, { method: 'POST', body: JSON.stringify({ user: 'loader', text: '/customer add LoadCo' }) });

const latencies: number[] = [];
const acked = new Set<string>();
let errors = 0;
let seq = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(Array.from({ length: concurrency }, async (_, c) => {
  while (Date.now() < until) {
    const marker = `load-${c}-${seq++}`;
    const t = performance.now();
    try {
      const res = await fetch(`${url}/web/api/message`, { method: 'POST', body: JSON.stringify({ user: `rep${c}`, text: `/log note LoadCo ${marker}` }) });
      const body = (await res.json()) as { replies?: { text: string }[] };
      if (res.status === 200 && body.replies?.[0]?.text.startsWith('Logged a note')) acked.add(marker);
      else errors++;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - t);
  }
}));
latencies.sort((a, b) => a - b);
const stored = (await app.engine.store.tenant('default').interactions.listForCustomer(1, 10_000_000)).map((i) => i.text);
const counts = new Map<string, number>();
for (const text of stored) counts.set(text, (counts.get(text) ?? 0) + 1);
const lost = [...acked].filter((m) => !counts.has(m)).length;
const duplicated = [...counts.values()].filter((n) => n > 1).length;
await app.stop();
console.log(JSON.stringify({
  target: 'POST /web/api/message', seconds, concurrency, requests: latencies.length, ratePerSecond: Math.round(latencies.length / seconds),
  p50Ms: Math.round(percentile(latencies, 50)), p99Ms: Math.round(percentile(latencies, 99)), errors, acknowledged: acked.size, lost, duplicated,
}));
if (lost || duplicated || errors) process.exitCode = 1;
