import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions, BenchRow } from '../types.js';
import { openStore, type LedgerEntry } from '../../core/index.js';
import { LEDGER, pending } from '../../plugins/loyalty/book.js';
import type { LoyaltyConfig, RuleConfig } from '../../plugins/loyalty/config.js';
import { earn } from '../../plugins/loyalty/earn.js';

const CUSTOMERS = 1_000;
/** Earns in flight at once in the burst row, each for a different customer (the 200 concurrent clients). */
const BURST = 200;
const rule = (r: Partial<RuleConfig>): RuleConfig => ({ points: 0, pointsPerCurrencyUnit: 0, pending: false, capPerDay: null, capPerCustomer: null, capPerEvent: null, overCap: 'drop', ...r });
const CONFIG: LoyaltyConfig = {
  pendingDays: 14, expiryMonths: 12, expiryWarningDays: 14, maxManualPoints: 10_000, maxRewardCost: 1_000_000, tierWindowDays: 365,
  tiers: [{ name: 'Bronze', threshold: 0, multiplier: 1 }, { name: 'Silver', threshold: 1000, multiplier: 1.25 }],
  rules: {
    purchase: rule({ pointsPerCurrencyUnit: 1, pending: true }), dealWon: rule({}), survey: rule({}), helpful: rule({}), referral: rule({}), welcome: rule({}),
  },
};

function row(i: number, at: string): LedgerEntry {
  return { key: `purchase:${i}`, account: pending(i % CUSTOMERS), delta: 1 + (i % 500), kind: 'earn', at, data: { rule: 'purchase', source: String(i), releaseAt: at, expiresAt: at } };
}

/** Calls per second of `fn(0..n-1)`, `lanes` of them in flight at once (lane k runs k, k + lanes, ... in turn). */
async function timed(n: number, fn: (i: number) => Promise<unknown> | unknown, lanes = 1): Promise<number> {
  const t = process.hrtime.bigint();
  await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
    for (let i = lane; i < n; i += lanes) await fn(i);
  }));
  return n / (Number(process.hrtime.bigint() - t) / 1e9);
}

/**
 * Earn writes per second on the embedded engine: the core ledger (entry + cached balance in one
 * transaction, idempotency check) and the plugin's whole earn path (tier and cap reads, then the
 * append), one caller at a time and as a burst (200 customers earning at once, whose appends the
 * ledger group-commits), each against raw keyed inserts of the same rows through the same engine,
 * one at a time (one plain document insert and commit per row, no balance, no guard, no batching),
 * measured in the same run.
 */
export async function bench(opts: BenchOptions): Promise<BenchRow[]> {
  const n = Math.max(1_000, Math.round(20_000 * opts.scale));
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-bench-'));
  const at = new Date().toISOString();
  try {
    const store = await openStore({ dataDir: dir });
    try {
      const raw = store.tenant('bench-raw').docs<LedgerEntry & { id: string }>('loyalty', 'raw');
      const baseline = await timed(n, (i) => raw.insertIfAbsent({ id: `purchase:${i}`, ...row(i, at) }));
      opts.log(`loyalty: raw insert ${Math.round(baseline)} rows/s (${n} rows)`);
      const ledger = store.tenant('bench').ledger('loyalty', LEDGER);
      const appends = await timed(n, (i) => ledger.append([row(i, at)]));
      opts.log(`loyalty: ledger.append ${Math.round(appends)} earn entries/s (${n} appends)`);
      const plugin = store.tenant('bench-earn').ledger('loyalty', LEDGER);
      const purchase = (i: number) => ({ rule: 'purchase' as const, sourceId: String(i), customerId: i % CUSTOMERS, amountMinor: 100 * (1 + (i % 500)) });
      const earns = await timed(n, (i) => earn(plugin, CONFIG, purchase(i), at, 'UTC'));
      opts.log(`loyalty: earn() one at a time ${Math.round(earns)} earnings/s (${n} events over ${CUSTOMERS} customers)`);
      const burstLedger = store.tenant('bench-burst').ledger('loyalty', LEDGER);
      const burst = await timed(n, (i) => earn(burstLedger, CONFIG, purchase(i), at, 'UTC'), BURST);
      opts.log(`loyalty: earn() burst ${Math.round(burst)} earnings/s (${n} events, ${BURST} customers at once)`);
      const base = { engine: 'sqlite', baseline: Math.round(baseline), unit: 'writes/s', baselineName: 'raw keyed inserts of the same rows, one insert+commit each, same engine' };
      return [
        { name: `ledger earn appends, one at a time, ${n}`, figure: Math.round(appends), ratio: appends / baseline, ...base },
        { name: `plugin earn() (tier+cap reads, append), one at a time, ${n}`, figure: Math.round(earns), ratio: earns / baseline, ...base },
        {
          name: `plugin earn() burst, ${BURST} customers at once, ${n}`, figure: Math.round(burst), ratio: burst / baseline, ...base,
          target: { text: '>= 0.5x raw inserts', pass: burst / baseline >= 0.5 },
        },
      ];
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
