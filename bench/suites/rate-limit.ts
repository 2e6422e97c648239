import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, RateLimiter } from '../../core/index.js';
import { timed } from '../stats.js';
import type { BenchOptions, BenchRow } from '../types.js';

/**
 * What the shared rate limiter adds to each inbound event on SQLite (a WAL file, as in production): the
 * admit of an event from a known identity and source, and of one whose identity is new in the minute.
 * Baseline: the idempotent insert every event already pays to dedupe its platform id.
 */
export async function bench(o: BenchOptions): Promise<BenchRow[]> {
  const n = Math.max(1000, Math.round(20_000 * o.scale));
  const store = await openStore({ dataDir: mkdtempSync(join(tmpdir(), 'crm-bench-limit-')) });
  const now = Date.parse('2026-06-30T12:00:00.000Z');
  const limiter = new RateLimiter(store.system.rateBuckets, { commandsPerMinute: 1e9, sourcePerMinute: 1e9, trackedKeys: 100_000 }, () => now);
  const iso = new Date(now).toISOString();
  const us = (ms: number) => (ms * 1000) / n;
  try {
    const dedupe = await timed(async () => {
      for (let i = 0; i < n; i++) await store.system.firstSeen(`web:bench-${i}`, iso);
    });
    const known = await timed(async () => {
      for (let i = 0; i < n; i++) await limiter.admit(`web:u${i % 50}`, `web:127.0.0.${i % 4}`);
    });
    const fresh = await timed(async () => {
      for (let i = 0; i < n; i++) await limiter.admit(`web:new${i}`, 'web:127.0.0.1');
    });
    o.log(`rate limit: ${us(known.ms).toFixed(1)} µs known keys, ${us(fresh.ms).toFixed(1)} µs new identities, dedupe insert ${us(dedupe.ms).toFixed(1)} µs`);
    const row = (name: string, ms: number): BenchRow => ({
      name, engine: 'sqlite', figure: us(ms), baseline: us(dedupe.ms), unit: 'µs/event', baselineName: 'the dedupe insert each event pays', ratio: dedupe.ms / ms,
    });
    return [row(`rate-limit admit, ${n} events from known keys`, known.ms), row(`rate-limit admit, ${n} events from new identities`, fresh.ms)];
  } finally {
    await store.close();
  }
}
