import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchOptions, BenchRow } from '../types.js';
import { openStore, type LedgerEntry } from '../../core/index.js';
import { earn, LEDGER, pending, type LoyaltyConfig, type RuleConfig } from '../../plugins/loyalty/index.js';

const CUSTOMERS = 1_000;
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

async function timed(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return n / (Number(process.hrtime.bigint() - t) / 1e9);
}

/**
 * Earn writes per second on the embedded engine: the core ledger (entry + cached balance in one
 * transaction, idempotency check) and the plugin's whole earn path (tier and cap reads, then the
 * append), each against raw keyed inserts of the same rows through the same engine (one plain
 * document insert per row, no balance, no guard), measured in the same run.
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
      const earns = await timed(n, (i) => earn(plugin, CONFIG, { rule: 'purchase', sourceId: String(i), customerId: i % CUSTOMERS, amountMinor: 100 * (1 + (i % 500)) }, at, 'UTC'));
      opts.log(`loyalty: earn() ${Math.round(earns)} earnings/s (${n} events over ${CUSTOMERS} customers)`);
      const base = { engine: 'sqlite', baseline: Math.round(baseline), unit: 'writes/s', baselineName: 'raw keyed inserts of the same rows, same engine' };
      return [
        { name: `ledger earn appends, ${n}`, figure: Math.round(appends), ratio: appends / baseline, ...base },
        { name: `plugin earn() (tier+cap reads, append), ${n}`, figure: Math.round(earns), ratio: earns / baseline, ...base },
      ];
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
