import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchOptions, BenchRow } from '../types.js';
import { createLogger, startApp, type AppOptions, type RunningApp } from '../../core/index.js';

/** Telegram's pace in the core outbox (DEFAULT_RATES; not configurable from outside the core yet). */
const TELEGRAM_LIMIT_PER_SECOND = 25;
const TENANT = 'default';

/** The whole app config, written out because a plugin may not import config/ (only core/index.ts). */
function appConfig(dataDir: string): AppOptions['config'] {
  return {
    env: { PORT: 0, HOST: '127.0.0.1', CRM_DATA_DIR: dataDir, CRM_ADMINS: [] },
    adapters: { slack: false, discord: false, telegram: false, web: false },
    defaultRoles: { slack: 'rep', web: 'rep', discord: 'customer', telegram: 'customer' },
    file: {
      defaultTenant: TENANT, tenants: [], currency: 'USD', timezone: 'UTC', locale: 'en',
      roles: { defaults: {}, assign: { 'web:boss': 'admin' } },
      stages: [
        { id: 'lead', probability: 0.1 }, { id: 'qualified', probability: 0.25 }, { id: 'proposal', probability: 0.5 },
        { id: 'negotiation', probability: 0.75 }, { id: 'won', probability: 1 }, { id: 'lost', probability: 0 },
      ],
      kpi: { grossMargin: 0.3, expectedLifetimeYears: 3, newWindowDays: 30, atRiskDays: 60, churnWindowDays: 90, minAnswers: 30, defaultStageCycleDays: 30 },
      fx: {},
      rateLimit: { commandsPerMinute: 60, sourcePerMinute: 1200, trackedKeys: 100_000 },
      web: { sessionDays: 30 },
      events: { maxAttempts: 5, backoffMs: 1000, maxBackoffMs: 300_000, pollMs: 250 },
      plugins: { surveys: { enabled: true, config: { quietHours: { start: '00:00', end: '00:00' } } } },
    },
  } as AppOptions['config'];
}

const seconds = (from: bigint) => Number(process.hrtime.bigint() - from) / 1e9;

async function seed(app: RunningApp, n: number): Promise<void> {
  const ts = app.engine.store.tenant(TENANT);
  const now = new Date().toISOString();
  for (let i = 1; i <= n; i++) {
    const c = await ts.customers.create({ name: `customer ${i}` }, now);
    await ts.identities.touch({ identity: `telegram:${100_000 + i}`, platform: 'telegram', displayName: `customer ${i}`, role: 'customer', customerId: c.id, locale: null }, now);
  }
}

/**
 * Two figures of a campaign to every customer, each with a baseline from the same run:
 * - queueing: recipients decided and queued per second by the fan-out job (paging, consent, reachability,
 *   exactly-once bookkeeping) against bare outbox enqueues of as many messages;
 * - delivery: Telegram messages per second the core outbox achieves against a fake API that always
 *   answers ok, against the configured platform limit.
 */
export async function bench(opts: BenchOptions): Promise<BenchRow[]> {
  const n = Math.max(500, Math.round(100_000 * opts.scale));
  // The baseline is a per-message rate, so a sample of it is enough.
  const bareN = Math.min(n, 20_000);
  const windowS = Math.max(5, Math.round(10 * opts.scale));
  const dir = mkdtempSync(join(tmpdir(), 'surveys-bench-'));
  const app = await startApp({
    config: appConfig(dir), role: 'web', adapters: [], logger: createLogger('silent'),
    pluginsDir: fileURLToPath(new URL('../../plugins/', import.meta.url)),
  });
  try {
    let t = process.hrtime.bigint();
    await seed(app, n);
    opts.log(`surveys: seeded ${n} customers with a Telegram identity in ${seconds(t).toFixed(1)} s`);

    const reply = { text: 'How likely are you to recommend us?', buttons: [{ id: 'survey.answer', label: '9', value: 'S-0 9' }] };
    t = process.hrtime.bigint();
    // Slack has no sender registered here, so these baseline items stay queued and out of the delivery figure.
    for (let i = 0; i < bareN; i++) await app.engine.outbox.send(TENANT, { platform: 'slack', target: `slack:T1:U${i}`, reply, idempotencyKey: `bare:${i}` });
    const bare = bareN / seconds(t);
    opts.log(`surveys: bare outbox enqueue ${Math.round(bare)} msgs/s (${bareN} messages)`);

    t = process.hrtime.bigint();
    const [sent] = await app.engine.handle({ platform: 'web', scope: null, actor: { identity: 'web:boss', displayName: 'boss' }, channel: 'web', eventId: null, text: '/survey send nps to everyone' });
    const campaigns = app.engine.store.tenant(TENANT).docs<{ id: string; status: string }>('surveys', 'campaigns');
    for (let minute = 1; (await campaigns.get('S-1'))?.status !== 'done'; minute++) {
      await app.engine.scheduler.fire('surveys:fanout', new Date(Date.now() + minute * 60_000));
    }
    const fanout = n / seconds(t);
    opts.log(`surveys: fan-out queued ${n} recipients at ${Math.round(fanout)}/s (${sent?.text.slice(0, 60)}...)`);

    const stamps: number[] = [];
    app.engine.outbox.registerSender('telegram', async () => {
      stamps.push(Date.now());
      return { ok: true };
    });
    const start = Date.now();
    app.engine.outbox.start();
    await new Promise((r) => setTimeout(r, windowS * 1000));
    await app.engine.outbox.stop();
    // Skip the first second: the bucket's initial burst is not the sustained pace.
    const steady = stamps.filter((s) => s >= start + 1000).length / (windowS - 1);
    opts.log(`surveys: delivered ${stamps.length} in ${windowS} s, steady ${steady.toFixed(1)} msgs/s vs limit ${TELEGRAM_LIMIT_PER_SECOND}/s`);

    return [
      { name: `survey fan-out queueing, ${n} recipients`, engine: 'sqlite', figure: Math.round(fanout), baseline: Math.round(bare), unit: 'recipients/s', baselineName: 'bare outbox enqueues, same engine', ratio: fanout / bare },
      { name: `survey delivery pace, telegram, ${windowS} s window`, engine: 'sqlite', figure: Math.round(steady * 10) / 10, baseline: TELEGRAM_LIMIT_PER_SECOND, unit: 'msgs/s', baselineName: 'configured platform limit (core outbox)', ratio: steady / TELEGRAM_LIMIT_PER_SECOND },
    ];
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
