import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seeded } from '../../demo/random.js';
import { surveyAnswerText } from '../../domain/survey-answer.js';
import type { Interaction } from '../../domain/types.js';
import { rfmScores, type Purchase, type Reporting } from '../../kpi/rfm.js';
import type { Store } from '../port.js';
import { openSqliteStore } from './engine.js';
import { SqliteReadThreads } from './read-threads.js';
import { rfmScoresOf, rfmTotalsQuery } from './rfm.js';

/**
 * The store's read thread answers RFM as the definition computes it (core/kpi `rfmScores` over the raw purchases,
 * an independent computation): several currencies with and without rates (amounts kept apart cross the thread
 * sparsely), purchases exactly on the as-of dates and a millisecond either side, another tenant's purchases beside.
 */
const DAY = 86_400_000;
const AS_OF = Date.parse('2026-04-01T00:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ASOFS = [iso(AS_OF), iso(AS_OF - 7 * DAY), iso(AS_OF - 90 * DAY)];
const MONEYS: Reporting[] = [{ currency: 'USD', fx: {} }, { currency: 'USD', fx: { USD: 1, EUR: 1.1 } }, { currency: 'EUR', fx: { USD: 1, EUR: 1.1, GBP: 1.3 } }];

function purchases(tenant: string, seed: number, first: number): Interaction[] {
  const r = seeded(seed);
  const at = (k: number) => {
    // Every fifth purchase on an as-of date or a millisecond either side, where < and <= differ.
    if (k % 5 === 0) return Date.parse(ASOFS[k % 3]!) + ((k % 3) - 1);
    return AS_OF + 3 * DAY - r.int(0, 300) * DAY - r.int(0, DAY);
  };
  return Array.from({ length: 900 }, (_, k) => ({
    tenant, id: first + k, customerId: r.int(1, 120), identity: null, type: 'purchase', channel: 'web', direction: 'in', text: 'order',
    amountMinor: r.chance(0.05) ? null : r.int(0, 90_000), currency: r.pick(['USD', 'USD', 'EUR', 'GBP', null]), occurredAt: iso(at(k)), sourceEventId: null,
  }));
}

const asPurchases = (rows: Interaction[]): Purchase[] =>
  rows.map((i) => ({ customerId: i.customerId!, at: i.occurredAt, amountMinor: i.amountMinor ?? 0, currency: i.currency }));

describe('SQLite read thread: RFM at several dates on a connection of its own', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let thread: SqliteReadThreads;
  const book = purchases('acme', 7, 1);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'crm-read-thread-'));
    file = join(dir, 'crm.sqlite');
    store = openSqliteStore(file);
    await store.tenant('acme').bulk.import({ interactions: book });
    await store.tenant('other').bulk.import({ interactions: purchases('other', 8, 1) });
    thread = new SqliteReadThreads(file);
  });
  // What the store's rfmAt does with its thread: the walk there, the scoring here.
  const rfmAt = async (t: SqliteReadThreads, tenant: string, asOfs: string[], money: Reporting) => {
    const q = rfmTotalsQuery(tenant, asOfs);
    return rfmScoresOf(await t.all(q.sql, q.params), q, asOfs, money);
  };
  afterAll(async () => {
    await thread.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [k, money] of MONEYS.entries()) {
    it(`equals the in-memory definition at each date, any order and repeated, reporting ${money.currency} with ${Object.keys(money.fx).length} rates`, async () => {
      const asOfs = [ASOFS[1]!, ASOFS[0]!, ASOFS[2]!, ASOFS[1]!];
      const answer = await rfmAt(thread, 'acme', asOfs, money);
      expect(answer).toEqual(asOfs.map((a) => rfmScores(asPurchases(book), a, money)));
      if (k === 0) expect(answer[1]!.some((s) => s.unconverted.length > 0)).toBe(true);
    });
  }

  it("is what the store's rfmAt answers, and sees a purchase written after its first answer", async () => {
    const money = MONEYS[1]!;
    expect(await store.tenant('acme').analytics.rfmAt(ASOFS, money)).toEqual(await rfmAt(thread, 'acme', ASOFS, money));
    const late: Interaction = { ...book[1]!, id: 5000, customerId: 999, amountMinor: 1_000, currency: 'USD', occurredAt: iso(AS_OF - DAY) };
    await store.tenant('acme').bulk.import({ interactions: [late] });
    const [now] = await rfmAt(thread, 'acme', [ASOFS[0]!], money);
    expect(now!.find((s) => s.customerId === 999)).toMatchObject({ frequency: 1, monetaryMinor: 1_000, recencyDays: 1 });
    expect(now).toEqual(rfmScores(asPurchases([...book, late]), ASOFS[0]!, money));
  });

  it("answers the store's purchase facts (first, last purchase, last inbound contact) as the main connection does", async () => {
    const chats: Interaction[] = Array.from({ length: 60 }, (_, k) => ({
      ...book[0]!, id: 9000 + k, customerId: 1 + ((k * 7) % 120), type: 'message', amountMinor: null, currency: null, occurredAt: iso(AS_OF - 2 * k * DAY - 3_600_000),
    }));
    await store.tenant('acme').bulk.import({ interactions: chats });
    // The same rows in a store without a read thread (`:memory:`), where the statement runs on its own connection.
    const direct = openSqliteStore(':memory:');
    await direct.tenant('acme').bulk.import({ interactions: await store.tenant('acme').bulk.page('interactions', 0, 100_000) });
    for (const asOf of ASOFS) {
      const threaded = await store.tenant('acme').analytics.purchaseFacts(asOf, null);
      expect(threaded.some((f) => f.lastInteractionAt !== null)).toBe(true);
      expect(threaded).toEqual(await direct.tenant('acme').analytics.purchaseFacts(asOf, null));
    }
    expect(await store.tenant('acme').analytics.purchaseFacts(ASOFS[0]!, 'web:nobody')).toEqual([]);
    await direct.close();
  });

  it("answers the store's survey scores per bucket as the main connection does, one answer per person per survey", async () => {
    const kinds = ['nps', 'csat', 'ces'] as const;
    const answers: Interaction[] = Array.from({ length: 150 }, (_, k) => {
      const kind = kinds[k % 3]!;
      return {
        ...book[0]!, id: 20_000 + k, customerId: 1 + (k % 40), type: 'survey_response', amountMinor: null, currency: null,
        text: surveyAnswerText(kind, kind === 'nps' ? k % 11 : 1 + (k % 5), 'why'), occurredAt: iso(AS_OF - (k % 50) * DAY - 1000),
        // Every tenth answer changes an earlier one of the same survey (its #version): only the latest counts.
        sourceEventId: k % 10 === 0 ? `survey:s${k % 30}:p${k % 7}#${k}` : `survey:s${k}:p${k % 7}`,
      };
    });
    await store.tenant('acme').bulk.import({ interactions: answers });
    const direct = openSqliteStore(':memory:');
    await direct.tenant('acme').bulk.import({ interactions: await store.tenant('acme').bulk.page('interactions', 0, 100_000) });
    const bounds = [0, 1, 2, 3, 4, 5, 6, 7].map((w) => iso(AS_OF - (7 - w) * 7 * DAY));
    const threaded = await store.tenant('acme').analytics.surveyScores(bounds, null);
    expect(threaded.length).toBeGreaterThan(10);
    expect(threaded).toEqual(await direct.tenant('acme').analytics.surveyScores(bounds, null));
    expect(await store.tenant('acme').analytics.surveyScores(bounds, null, 'survey:s3')).toEqual(await direct.tenant('acme').analytics.surveyScores(bounds, null, 'survey:s3'));
    await direct.close();
  });

  it("answers the store's customer activity for several periods, any order, as the main connection does", async () => {
    const direct = openSqliteStore(':memory:');
    await direct.tenant('acme').bulk.import({ interactions: await store.tenant('acme').bulk.page('interactions', 0, 100_000) });
    const periods = [
      { from: ASOFS[1]!, to: ASOFS[0]! },
      { from: ASOFS[2]!, to: ASOFS[1]! },
      { from: iso(AS_OF - 200 * DAY), to: ASOFS[2]! },
    ];
    const threaded = await store.tenant('acme').analytics.customerActivityAt(periods, 90, null);
    expect(threaded.every((a) => a.baseAtEnd > 0 && a.yearRevenue.length > 0)).toBe(true);
    expect(threaded).toEqual(await direct.tenant('acme').analytics.customerActivityAt(periods, 90, null));
    expect(await store.tenant('acme').analytics.customerActivityAt([...periods].reverse(), 90, null)).toEqual([...threaded].reverse());
    await direct.close();
  });

  it('answers a tenant without purchases with empty lists', async () => {
    expect(await rfmAt(thread, 'nobody', ASOFS, MONEYS[0]!)).toEqual([[], [], []]);
  });

  it('fails the question, with the reason, when its thread cannot open the file', async () => {
    const missing = new SqliteReadThreads(join(dir, 'missing', 'crm.sqlite'));
    await expect(rfmAt(missing, 'acme', ASOFS, MONEYS[0]!)).rejects.toThrow(/read thread stopped/);
    await missing.close();
  });
});

describe('SQLite read threads: sharing the questions', () => {
  // Counting to a few million in a recursive CTE keeps a thread busy for a good part of a second, reading nothing.
  const LONG = 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT COUNT(*) FROM c';
  const SHORT = 'SELECT 1';
  let dir: string;
  let store: Store;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crm-read-threads-'));
    store = openSqliteStore(join(dir, 'crm.sqlite'));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const inOrder = async (threads: SqliteReadThreads, asked: [string, string][]) => {
    const order: string[] = [];
    await Promise.all(asked.map(([name, sql]) => threads.all(sql, {}).then((rows) => order.push(`${name}=${rows[0]![0]}`))));
    return order;
  };

  it('answers a short statement asked after a long one first, from another thread', async () => {
    const threads = new SqliteReadThreads(join(dir, 'crm.sqlite'));
    expect(await inOrder(threads, [['long', LONG], ['short', SHORT]])).toEqual(['short=1', 'long=3000000']);
    await threads.close();
  });

  it('with every thread busy, holds a question until one is free, and answers them all', async () => {
    const threads = new SqliteReadThreads(join(dir, 'crm.sqlite'), 2);
    const order = await inOrder(threads, [['a', LONG], ['b', LONG], ['short', SHORT]]);
    expect(order).toHaveLength(3);
    expect(order.indexOf('short=1')).toBeGreaterThan(0);
    await threads.close();
  });

  it('closing answers the statement under way, fails those waiting and any asked after, and leaves no thread behind', async () => {
    const threads = new SqliteReadThreads(join(dir, 'crm.sqlite'), 1);
    const working = threads.all(LONG, {});
    await new Promise((r) => setTimeout(r, 50));
    const waiting = threads.all(SHORT, {});
    const closed = threads.close();
    await expect(working).resolves.toEqual([[3000000]]);
    await expect(waiting).rejects.toThrow(/read threads are closed/);
    await closed;
    await expect(threads.all(SHORT, {})).rejects.toThrow(/read threads are closed/);
  });

  it('with one thread, answers in the order asked', async () => {
    const threads = new SqliteReadThreads(join(dir, 'crm.sqlite'), 1);
    expect(await inOrder(threads, [['long', LONG], ['short', SHORT]])).toEqual(['long=3000000', 'short=1']);
    await threads.close();
  });
});

describe('SQLite read thread: closing', () => {
  it('lets a process with nothing else to do finish closing the store (it exited unsettled, code 13, mid-close)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-read-close-'));
    try {
      const script = [
        `import { openSqliteStore } from ${JSON.stringify(new URL('./engine.ts', import.meta.url).href)};`,
        `const store = openSqliteStore(${JSON.stringify(join(dir, 'crm.sqlite'))});`,
        `await store.tenant('t').analytics.rfmAt(['2026-04-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z'], { currency: 'USD', fx: {} });`,
        `await store.close();`,
        `console.log('closed');`,
      ].join('\n');
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
      expect({ status: run.status, out: run.stdout.trim() }).toEqual({ status: 0, out: 'closed' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
