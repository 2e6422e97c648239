import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { mentionText, openStore, surveyAnswerText, type Case, type Customer, type Deal, type Interaction, type TenantSettings } from '../../core/index.js';
import type { BenchOptions, BenchRow } from '../../bench/types.js';
import { memoryStore } from './bench-memory.js';
import { computeDigest, type DigestRequest } from './digest/compute.js';

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
  kpi: { grossMargin: 0.3, expectedLifetimeYears: 3, newWindowDays: 30, atRiskDays: 60, churnWindowDays: 90 },
};

/** A fixed-seed generator so every run measures the same book. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

function generate(file: string, customers: number, interactions: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const r = rng(42);
  const at = (maxDaysAgo: number) => new Date(Date.parse(NOW) - Math.floor(r() * maxDaysAgo * DAY)).toISOString();
  const reps = ['web:r1', 'web:r2', 'web:r3', 'web:r4'];
  const consent = JSON.stringify({ marketing: false, surveys: true, updatedAt: NOW });
  db.transaction(() => {
    const c = db.prepare(`INSERT INTO customers (tenant, id, name, name_lc, company, emails, phones, tags, owner, lifecycle, consent, merged_into, created_at, updated_at)
      VALUES (?, ?, ?, ?, NULL, '[]', '[]', '[]', ?, 'lead', ?, NULL, ?, ?)`);
    for (let id = 1; id <= customers; id++) {
      const created = at(500);
      c.run(TENANT, id, `Customer ${id}`, `customer ${id}`, reps[id % reps.length], consent, created, created);
    }
    const i = db.prepare(`INSERT INTO interactions (tenant, id, customer_id, identity, type, channel, direction, text, amount_minor, currency, occurred_at, source_event_id)
      VALUES (?, ?, ?, NULL, ?, 'web', 'in', ?, ?, ?, ?, NULL)`);
    const sentiments = ['negative', 'neutral', 'positive'] as const;
    for (let id = 1; id <= interactions; id++) {
      const customer = 1 + Math.floor(r() * customers);
      const x = r();
      const when = at(400);
      if (x < 0.3) i.run(TENANT, id, customer, 'purchase', 'order', 1_00 + Math.floor(r() * 500_00), 'USD', when);
      else if (x < 0.4) {
        const kind = (['nps', 'csat', 'ces'] as const)[Math.floor(r() * 3)]!;
        const score = kind === 'nps' ? Math.floor(r() * 11) : 1 + Math.floor(r() * (kind === 'csat' ? 5 : 7));
        i.run(TENANT, id, customer, 'survey_response', surveyAnswerText(kind, score, 'why'), null, null, when);
      } else if (x < 0.45) i.run(TENANT, id, r() < 0.3 ? null : customer, 'mention', mentionText(sentiments[Math.floor(r() * 3)]!, 'brand talk'), null, null, when);
      else i.run(TENANT, id, customer, x < 0.85 ? 'message' : 'call', 'hello', null, null, when);
    }
    const d = db.prepare(`INSERT INTO deals (tenant, id, customer_id, title, amount_minor, currency, stage, probability, owner, expected_close, closed_at, lost_reason, history, created_at, updated_at)
      VALUES (?, ?, ?, 'Deal', ?, 'USD', ?, ?, ?, ?, ?, NULL, '[]', ?, ?)`);
    for (let id = 1; id <= customers / 10; id++) {
      const created = at(400);
      const y = r();
      const stage = y < 0.3 ? 'won' : y < 0.5 ? 'lost' : y < 0.8 ? 'lead' : 'proposal';
      const closed = stage === 'won' || stage === 'lost' ? new Date(Math.min(Date.parse(NOW), Date.parse(created) + Math.floor(r() * 60 * DAY))).toISOString() : null;
      const close = closed ? null : new Date(Date.parse(NOW) + Math.floor(r() * 90 * DAY)).toISOString().slice(0, 10);
      d.run(TENANT, id, 1 + Math.floor(r() * customers), 1000_00 + Math.floor(r() * 9000_00), stage, { won: 1, lost: 0, lead: 0.1, proposal: 0.5 }[stage], reps[id % reps.length], close, closed, created, closed ?? created);
    }
    const k = db.prepare(`INSERT INTO cases (tenant, id, customer_id, kind, owner, status, summary, due_at, opened_at, closed_at) VALUES (?, ?, ?, ?, ?, 'open', 'x', ?, ?, NULL)`);
    for (let id = 1; id <= customers / 100; id++) k.run(TENANT, id, 1 + Math.floor(r() * customers), id % 2 ? 'complaint' : 'detractor_followup', reps[id % reps.length], at(10), at(20));
    db.prepare(`INSERT INTO spend (tenant, month, amount_minor, currency, by, at) VALUES (?, '2026-05', 50000000, 'USD', 'web:boss', ?)`).run(TENANT, NOW);
  })();
  db.close();
}

/** What the baseline has to do first: every row of the tenant into memory. */
function loadAll(file: string) {
  const db = new Database(file, { readonly: true });
  const rows = (sql: string) => db.prepare(sql).all(TENANT) as Record<string, any>[];
  const book = {
    customers: rows('SELECT * FROM customers WHERE tenant = ?').map((c) => ({ id: c.id, owner: c.owner, mergedInto: c.merged_into, createdAt: c.created_at, name: c.name }) as Customer),
    interactions: rows('SELECT * FROM interactions WHERE tenant = ?').map((i) => ({
      id: i.id, customerId: i.customer_id, type: i.type, text: i.text, amountMinor: i.amount_minor, occurredAt: i.occurred_at,
    }) as Interaction),
    deals: rows('SELECT * FROM deals WHERE tenant = ?').map((d) => ({
      amountMinor: d.amount_minor, currency: d.currency, stage: d.stage, probability: d.probability, owner: d.owner, expectedClose: d.expected_close, closedAt: d.closed_at, createdAt: d.created_at,
    }) as Deal),
    cases: rows('SELECT * FROM cases WHERE tenant = ?').map((k) => ({ id: k.id, customerId: k.customer_id, kind: k.kind, owner: k.owner, status: k.status, dueAt: k.due_at }) as Case),
    spend: rows('SELECT * FROM spend WHERE tenant = ?').map((s) => ({ month: s.month, amountMinor: s.amount_minor })),
  };
  db.close();
  return book;
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
    const store = await openStore({ mongoUri: undefined, dataDir: dir });
    const file = join(dir, 'crm.sqlite');
    const gen = await timed(async () => generate(file, customers, interactions));
    opts.log(`kpi-digest: generated ${customers} customers and ${interactions} interactions in ${Math.round(gen.ms)} ms`);
    const req: DigestRequest = { kind: 'week', to: Date.parse(NOW), timezone: 'UTC', owner: null, now: NOW };
    const engine = await timed(() => computeDigest(store.tenant(TENANT), SETTINGS, req));
    const naive = await timed(async () => computeDigest(memoryStore(loadAll(file)), SETTINGS, req));
    await store.close();
    const same = isDeepStrictEqual(engine.value, naive.value);
    opts.log(`kpi-digest: sqlite ${Math.round(engine.ms)} ms, load-everything ${Math.round(naive.ms)} ms; same numbers: ${same}`);
    if (!process.env.MONGODB_URI) opts.log('kpi-digest: mongo skipped (MONGODB_URI is not set)');
    else opts.log('kpi-digest: mongo not measured (bulk generation is written for the SQLite schema only)');
    return [{
      name: `digest computation, ${customers} customers, ${interactions} interactions`, engine: 'sqlite',
      figure: Math.round(engine.ms), baseline: Math.round(naive.ms), unit: 'ms', baselineName: 'load everything into memory, compute with loops',
      ratio: Math.round((naive.ms / engine.ms) * 100) / 100,
    }];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
