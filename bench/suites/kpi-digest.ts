import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { mentionText, openStore, surveyAnswerText, type Case, type Customer, type Deal, type Interaction, type TenantSettings, type TenantStore } from '../../core/index.js';
import type { BenchOptions, BenchRow } from '../types.js';
import { memoryStore } from './kpi-digest-memory.js';
import { computeDigest, type DigestRequest } from '../../plugins/kpi-digest/index.js';

/**
 * Digest computation time over 100k customers and 1M interactions (scale 1) on SQLite, against loading
 * everything into memory and computing the same numbers with loops, in the same run. Rows are written
 * straight into the store's schema in big transactions so generation stays quick.
 */
const TENANT = 'bench';
const NOW = '2026-06-01T06:00:00.000Z';
const DAY = 86_400_000;
const SETTINGS: TenantSettings = {
  tenant: TENANT, currency: 'USD', timezone: 'UTC', locale: 'en',
  stages: [{ id: 'lead', probability: 0.1 }, { id: 'proposal', probability: 0.5 }, { id: 'won', probability: 1 }, { id: 'lost', probability: 0 }] as TenantSettings['stages'],
  kpi: { grossMargin: 0.3, expectedLifetimeYears: 3, newWindowDays: 30, atRiskDays: 60, churnWindowDays: 90, minAnswers: 30, defaultStageCycleDays: 30 },
  fx: {},
};

/** A fixed-seed generator so every run measures the same book. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

const BATCH = 20_000;

/** Writes the seeded book through the store's bulk import, in batches, so any engine can be measured. */
async function generate(ts: TenantStore, customers: number, interactions: number): Promise<void> {
  const r = rng(42);
  const at = (maxDaysAgo: number) => new Date(Date.parse(NOW) - Math.floor(r() * maxDaysAgo * DAY)).toISOString();
  const reps = ['web:r1', 'web:r2', 'web:r3', 'web:r4'];
  const consent = { marketing: false, surveys: true, updatedAt: NOW };
  for (let from = 1; from <= customers; from += BATCH) {
    const batch: Customer[] = [];
    for (let id = from; id < from + BATCH && id <= customers; id++) {
      const created = at(500);
      batch.push({ tenant: TENANT, id, name: `Customer ${id}`, company: null, emails: [], phones: [], tags: [], owner: reps[id % reps.length]!, lifecycle: 'lead', consent, mergedInto: null, createdAt: created, updatedAt: created });
    }
    await ts.bulk.import({ customers: batch });
  }
  const sentiments = ['negative', 'neutral', 'positive'] as const;
  const interaction = (id: number, customerId: number | null, type: Interaction['type'], text: string, amountMinor: number | null, occurredAt: string): Interaction => ({
    tenant: TENANT, id, customerId, identity: null, type, channel: 'web', direction: 'in', text, amountMinor, currency: amountMinor === null ? null : 'USD', occurredAt, sourceEventId: null,
  });
  for (let from = 1; from <= interactions; from += BATCH) {
    const batch: Interaction[] = [];
    for (let id = from; id < from + BATCH && id <= interactions; id++) {
      const customer = 1 + Math.floor(r() * customers);
      const x = r();
      const when = at(400);
      if (x < 0.3) batch.push(interaction(id, customer, 'purchase', 'order', 1_00 + Math.floor(r() * 500_00), when));
      else if (x < 0.4) {
        const kind = (['nps', 'csat', 'ces'] as const)[Math.floor(r() * 3)]!;
        const score = kind === 'nps' ? Math.floor(r() * 11) : 1 + Math.floor(r() * (kind === 'csat' ? 5 : 7));
        batch.push(interaction(id, customer, 'survey_response', surveyAnswerText(kind, score, 'why'), null, when));
      } else if (x < 0.45) batch.push(interaction(id, r() < 0.3 ? null : customer, 'mention', mentionText(sentiments[Math.floor(r() * 3)]!, 'brand talk'), null, when));
      else batch.push(interaction(id, customer, x < 0.85 ? 'message' : 'call', 'hello', null, when));
    }
    await ts.bulk.import({ interactions: batch });
  }
  const deals: Deal[] = [];
  for (let id = 1; id <= customers / 10; id++) {
    const created = at(400);
    const y = r();
    const stage = y < 0.3 ? 'won' : y < 0.5 ? 'lost' : y < 0.8 ? 'lead' : 'proposal';
    const closed = stage === 'won' || stage === 'lost' ? new Date(Math.min(Date.parse(NOW), Date.parse(created) + Math.floor(r() * 60 * DAY))).toISOString() : null;
    const close = closed ? null : new Date(Date.parse(NOW) + Math.floor(r() * 90 * DAY)).toISOString().slice(0, 10);
    deals.push({
      tenant: TENANT, id, customerId: 1 + Math.floor(r() * customers), title: 'Deal', amountMinor: 1000_00 + Math.floor(r() * 9000_00), currency: 'USD', stage,
      probability: { won: 1, lost: 0, lead: 0.1, proposal: 0.5 }[stage]!, owner: reps[id % reps.length]!, expectedClose: close, closedAt: closed, lostReason: null, history: [],
      createdAt: created, updatedAt: closed ?? created,
    });
  }
  const cases: Case[] = [];
  for (let id = 1; id <= customers / 100; id++) {
    cases.push({ tenant: TENANT, id, customerId: 1 + Math.floor(r() * customers), kind: id % 2 ? 'complaint' : 'detractor_followup', owner: reps[id % reps.length]!, status: 'open', summary: 'x', dueAt: at(10), openedAt: at(20), closedAt: null });
  }
  await ts.bulk.import({ deals, cases });
  await ts.spend.record('2026-05', 500_000_00, 'USD', 'web:boss', NOW);
}

/** What the baseline has to do first: every record of the tenant into memory, a page at a time. */
async function loadAll(ts: TenantStore) {
  const all = async <K extends 'customers' | 'interactions' | 'deals' | 'cases'>(kind: K) => {
    const out = [];
    for (let page = await ts.bulk.page(kind, 0, BATCH); page.length; page = await ts.bulk.page(kind, page.at(-1)!.id, BATCH)) out.push(...page);
    return out;
  };
  return {
    customers: await all('customers'),
    interactions: await all('interactions'),
    deals: await all('deals'),
    cases: await all('cases'),
    spend: [{ month: '2026-05', amountMinor: await ts.spend.total('2026-05', '2026-05') }],
  };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export async function bench(opts: BenchOptions): Promise<BenchRow[]> {
  const customers = Math.max(1000, Math.round(100_000 * opts.scale));
  const interactions = Math.max(10_000, Math.round(1_000_000 * opts.scale));
  const dir = mkdtempSync(join(tmpdir(), 'crm-digest-bench-'));
  try {
    const rows: BenchRow[] = [];
    const engines = [{ name: 'sqlite', mongoUri: undefined as string | undefined }];
    if (process.env.MONGODB_URI) engines.push({ name: 'mongo', mongoUri: process.env.MONGODB_URI });
    else opts.log('kpi-digest: mongo skipped (MONGODB_URI is not set)');
    for (const e of engines) {
      const store = await openStore({ mongoUri: e.mongoUri, dataDir: dir });
      try {
        const ts = store.tenant(`${TENANT}`);
        const gen = await timed(() => generate(ts, customers, interactions));
        opts.log(`kpi-digest: generated ${customers} customers and ${interactions} interactions on ${e.name} in ${Math.round(gen.ms)} ms`);
        const req: DigestRequest = { kind: 'week', to: Date.parse(NOW), timezone: 'UTC', owner: null, now: NOW };
        const engine = await timed(() => computeDigest(ts, SETTINGS, req));
        const naive = await timed(async () => computeDigest(memoryStore(await loadAll(ts)), SETTINGS, req));
        const same = isDeepStrictEqual(engine.value, naive.value);
        opts.log(`kpi-digest: ${e.name} ${Math.round(engine.ms)} ms, load-everything ${Math.round(naive.ms)} ms; same numbers: ${same}`);
        if (!same) throw new Error('the digest computed in the store differs from the in-memory computation');
        const ratio = Math.round((naive.ms / engine.ms) * 100) / 100;
        rows.push({
          name: `digest computation, ${customers} customers, ${interactions} interactions`, engine: e.name,
          figure: Math.round(engine.ms), baseline: Math.round(naive.ms), unit: 'ms', baselineName: 'load everything into memory, compute with loops',
          ratio, target: { text: '< 2000 ms and >= 5x', pass: engine.ms < 2000 && ratio >= 5 },
        });
      } finally {
        await store.close();
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
