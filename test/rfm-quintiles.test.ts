import { Aggregator } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quintileScores } from '../core/kpi/rfm.js';
import { rfmPipeline } from '../core/store/mongo/pipelines.js';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

/**
 * Quintiles with ties (CRM-METHOD.md, RFM): the same table through the in-memory rule, SQLite's SQL and
 * the MongoDB pipeline (evaluated by mingo), each against a reference computed here with plain loops.
 */
function reference(values: number[]): number[] {
  const n = values.length;
  const distinct: number[] = [];
  for (const v of values) if (!distinct.includes(v)) distinct.push(v);
  distinct.sort((a, b) => a - b);
  return values.map((v) => {
    if (distinct.length < 5) return distinct.indexOf(v) + 1;
    // Ranks 1..n of the group holding v; count how many of them fall in each quintile, keep the fullest.
    let below = 0;
    let same = 0;
    for (const x of values) {
      if (x < v) below++;
      if (x === v) same++;
    }
    const inQuintile = [0, 0, 0, 0, 0];
    for (let rank = below + 1; rank <= below + same; rank++) inQuintile[Math.ceil((5 * rank) / n) - 1]! += 1;
    const most = Math.max(...inQuintile);
    const tied: number[] = [];
    for (let q = 0; q < 5; q++) if (inQuintile[q] === most) tied.push(q + 1);
    // Several quintiles holding equally many: the middle one (the lower of two).
    return tied[Math.floor((tied.length - 1) / 2)]!;
  });
}

const thirdOnce = [...Array(10).fill(1), ...Array(8).fill(2), ...Array(6).fill(3), 4, 5, 6, 7, 8, 9];
const TABLE: { name: string; values: number[]; expected: number[] }[] = [
  { name: 'a third of buyers bought once', values: thirdOnce, expected: [...Array(10).fill(1), ...Array(8).fill(3), ...Array(6).fill(4), 5, 5, 5, 5, 5, 5] },
  { name: 'all values equal', values: Array(12).fill(3), expected: Array(12).fill(1) },
  { name: 'fewer than five distinct values', values: [5, 1, 1, 9, 5, 1, 20, 20], expected: [2, 1, 1, 3, 2, 1, 4, 4] },
  { name: 'n = 1', values: [7], expected: [1] },
  { name: 'n = 4 (n < 5)', values: [3, 1, 2, 2], expected: [3, 1, 2, 2] },
  { name: 'five distinct values, n = 5', values: [50, 10, 40, 20, 30], expected: [5, 1, 4, 2, 3] },
  { name: 'no ties, n = 10', values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], expected: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5] },
  { name: 'heavy ties at the top', values: [1, 2, 3, 4, 5, ...Array(15).fill(6)], expected: [1, 1, 1, 1, 2, ...Array(15).fill(4)] },
  { name: 'group split evenly between two quintiles takes the lower', values: [1, 2, 2, 3, 4, 5, 6, 7, 8, 9], expected: [1, 1, 1, 2, 3, 3, 4, 4, 5, 5] },
];

describe('quintile scores with ties', () => {
  it.each(TABLE)('reference: $name', ({ values, expected }) => {
    expect(reference(values)).toEqual(expected);
  });
  it.each(TABLE)('in memory: $name', ({ values, expected }) => {
    expect(quintileScores(values)).toEqual(expected);
  });
});

describe('quintile scores with ties in SQLite and the MongoDB pipeline', () => {
  let store: Store;
  const AS_OF = '2026-12-31T00:00:00.000Z';
  beforeAll(async () => {
    store = await ENGINES[0]!.open();
  });
  afterAll(() => store.close());

  /** Frequency = values[i] purchases of 1 cent each; monetary = the same; recency = the value's day of the year. */
  async function seedCase(tenant: string, values: number[]) {
    const ts = store.tenant(tenant);
    const docs: object[] = [];
    for (let i = 0; i < values.length; i++) {
      const c = await ts.customers.create({ name: `c${i}` }, '2026-01-01T00:00:00.000Z');
      for (let k = 0; k < values[i]!; k++) {
        const occurredAt = new Date(Date.UTC(2026, 0, 1) + values[i]! * 86_400_000).toISOString();
        const input = { customerId: c.id, identity: null, type: 'purchase' as const, channel: 'test', direction: 'in' as const, text: 'x', amountMinor: 1, currency: 'USD', occurredAt, sourceEventId: null };
        await ts.interactions.add(input);
        docs.push({ ...input, tenant, occurredAt: new Date(occurredAt) });
      }
    }
    return docs;
  }

  it.each(TABLE.map((t, i) => ({ ...t, tenant: `q${i}` })))('$name', async ({ values, expected, tenant }) => {
    const docs = await seedCase(tenant, values);
    const sql = await store.tenant(tenant).analytics.rfm(AS_OF, { currency: 'USD', fx: { USD: 1 } });
    const mongo = new Aggregator(rfmPipeline(tenant, new Date(AS_OF), 'USD', { USD: 1 })).run(docs) as { r: number; f: number; m: number }[];
    for (const rows of [sql, mongo]) {
      expect(rows.map((r) => r.f)).toEqual(expected);
      expect(rows.map((r) => r.m)).toEqual(expected);
      expect(rows.map((r) => r.r)).toEqual(expected);
    }
  });
});
