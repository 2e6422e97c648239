import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions, BenchRow } from '../types.js';
import { openStore, type LedgerEntry } from '../../core/index.js';
import { earn, LEDGER, pending, type LoyaltyConfig, type RuleConfig } from '../../plugins/loyalty/index.js';

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

/** What one figure runs on event i, and how many of its calls are in flight at once. */
interface Variant {
  run: (i: number) => Promise<unknown>;
  lanes: number;
}

/** Slices each variant's n calls are interleaved in, so load drift on a shared machine hits baseline and figures alike. */
const SLICES = 10;

/**
 * Calls per second of each variant over i = 0..n-1: slice by slice, every variant runs the slice's calls in turn
 * (with `lanes` in flight, lane k running k, k + lanes, ...), and each variant's time is the sum of its slices.
 */
async function interleaved(n: number, variants: Variant[]): Promise<number[]> {
  const seconds = variants.map(() => 0);
  for (let s = 0; s < SLICES; s++) {
    const from = Math.floor((s * n) / SLICES);
    const to = Math.floor(((s + 1) * n) / SLICES);
    for (const [v, { run, lanes }] of variants.entries()) {
      const t = process.hrtime.bigint();
      await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
        for (let i = from + lane; i < to; i += lanes) await run(i);
      }));
      seconds[v]! += Number(process.hrtime.bigint() - t) / 1e9;
    }
  }
  return seconds.map((x) => n / x);
}

/**
 * Earn writes per second on the embedded engine: the core ledger (entry + cached balance in one
 * transaction, idempotency by key) and the plugin's whole earn path (the tier as one sum in the store,
 * caps when the rule has them, then the append), one caller at a time and as a burst (200 customers
 * earning at once, whose appends the ledger group-commits), each against raw keyed inserts of the same
 * rows through the same engine, one at a time (one plain document insert and commit per row, no balance,
 * no guard, no batching), measured in the same run, interleaved slice by slice.
 */
export async function bench(opts: BenchOptions): Promise<BenchRow[]> {
  const n = Math.max(1_000, Math.round(20_000 * opts.scale));
  const dir = mkdtempSync(join(tmpdir(), 'loyalty-bench-'));
  const at = new Date().toISOString();
  try {
    const store = await openStore({ dataDir: dir });
    try {
      const raw = store.tenant('bench-raw').docs<LedgerEntry & { id: string }>('loyalty', 'raw');
      const ledger = store.tenant('bench').ledger('loyalty', LEDGER);
      const plugin = store.tenant('bench-earn').ledger('loyalty', LEDGER);
      const burstLedger = store.tenant('bench-burst').ledger('loyalty', LEDGER);
      const purchase = (i: number) => ({ rule: 'purchase' as const, sourceId: String(i), customerId: i % CUSTOMERS, amountMinor: 100 * (1 + (i % 500)) });
      const [baseline, appends, earns, burst] = await interleaved(n, [
        { run: (i) => raw.insertIfAbsent({ id: `purchase:${i}`, ...row(i, at) }), lanes: 1 },
        { run: (i) => ledger.append([row(i, at)]), lanes: 1 },
        { run: (i) => earn(plugin, CONFIG, purchase(i), at, 'UTC'), lanes: 1 },
        { run: (i) => earn(burstLedger, CONFIG, purchase(i), at, 'UTC'), lanes: BURST },
      ]) as [number, number, number, number];
      opts.log(`loyalty: raw insert ${Math.round(baseline)} rows/s (${n} rows)`);
      opts.log(`loyalty: ledger.append ${Math.round(appends)} earn entries/s (${n} appends)`);
      opts.log(`loyalty: earn() one at a time ${Math.round(earns)} earnings/s (${n} events over ${CUSTOMERS} customers)`);
      opts.log(`loyalty: earn() burst ${Math.round(burst)} earnings/s (${n} events, ${BURST} customers at once)`);
      const base = { engine: 'sqlite', baseline: Math.round(baseline), unit: 'writes/s', baselineName: 'raw keyed inserts of the same rows, one insert+commit each, same engine' };
      return [
        { name: `ledger earn appends, one at a time, ${n}`, figure: Math.round(appends), ratio: appends / baseline, ...base },
        { name: `plugin earn() (tier sum read, append), one at a time, ${n}`, figure: Math.round(earns), ratio: earns / baseline, ...base },
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
