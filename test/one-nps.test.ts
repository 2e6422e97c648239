import { Aggregator } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { surveyAnswerSource, surveySourcePrefix } from '../core/domain/survey-answer.js';
import { readSurveyScores, surveyScoresPipeline } from '../core/store/mongo/digest-pipelines.js';
import type { Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

/**
 * One NPS (CRM-METHOD: one answer per person per survey, the latest): the store's survey aggregate, which
 * both the digest and `/survey results` read, in SQLite and as the MongoDB pipeline (mingo), against a
 * plain-loop count of the same rows.
 */
const BOUNDS = ['2026-03-01T00:00:00.000Z', '2026-04-01T00:00:00.000Z', '2026-05-01T00:00:00.000Z'];
type Row = { customerId: number; text: string; occurredAt: string; sourceEventId: string | null };
const ROWS: Row[] = [
  // Customer 1 changes their S-1 answer twice in March: only the last (9) counts there.
  { customerId: 1, text: 'nps 3', occurredAt: '2026-03-02T10:00:00.000Z', sourceEventId: surveyAnswerSource('S-1', 1, 1) },
  { customerId: 1, text: 'nps 6', occurredAt: '2026-03-02T10:05:00.000Z', sourceEventId: surveyAnswerSource('S-1', 1, 2) },
  { customerId: 1, text: 'nps 9', occurredAt: '2026-03-03T08:00:00.000Z', sourceEventId: surveyAnswerSource('S-1', 1, 4) },
  // ...and answers another survey: a separate answer.
  { customerId: 1, text: 'nps 10', occurredAt: '2026-03-20T08:00:00.000Z', sourceEventId: surveyAnswerSource('S-2', 1, 1) },
  { customerId: 2, text: 'nps 0: slow', occurredAt: '2026-03-05T08:00:00.000Z', sourceEventId: surveyAnswerSource('S-1', 2, 1) },
  // Customer 2 changes their S-1 answer in April: March keeps 0, April counts 8.
  { customerId: 2, text: 'nps 8', occurredAt: '2026-04-02T08:00:00.000Z', sourceEventId: surveyAnswerSource('S-1', 2, 2) },
  // Imported answers without a key each stand alone.
  { customerId: 3, text: 'nps 10', occurredAt: '2026-04-03T08:00:00.000Z', sourceEventId: null },
  { customerId: 3, text: 'nps 10', occurredAt: '2026-04-04T08:00:00.000Z', sourceEventId: null },
  { customerId: 4, text: 'csat 5', occurredAt: '2026-04-04T08:00:00.000Z', sourceEventId: surveyAnswerSource('S-3', 4, 1) },
];

/** The reference: latest row per (bucket, key) by time, key = sourceEventId before '#' or the row itself. */
function reference(rows: Row[], prefix: string | null) {
  const latest = new Map<string, { at: string; kind: string; score: number; bucket: number }>();
  rows.forEach((r, i) => {
    if (prefix !== null && !(r.sourceEventId ?? '').startsWith(prefix)) return;
    let bucket = -1;
    for (let b = 0; b < BOUNDS.length - 1; b++) if (r.occurredAt >= BOUNDS[b]! && r.occurredAt < BOUNDS[b + 1]!) bucket = b;
    if (bucket < 0) return;
    const key = `${bucket}|${r.sourceEventId === null ? `row${i}` : r.sourceEventId.split('#')[0]}`;
    const [kind, score] = r.text.split(':')[0]!.split(' ');
    const prev = latest.get(key);
    if (!prev || prev.at < r.occurredAt) latest.set(key, { at: r.occurredAt, kind: kind!, score: Number(score), bucket });
  });
  const counts = new Map<string, number>();
  for (const v of latest.values()) counts.set(`${v.bucket}|${v.kind}|${v.score}`, (counts.get(`${v.bucket}|${v.kind}|${v.score}`) ?? 0) + 1);
  return [...counts].map(([k, count]) => {
    const [bucket, kind, score] = k.split('|');
    return { bucket: Number(bucket), kind: kind!, score: Number(score), count };
  }).sort((a, b) => a.bucket - b.bucket || a.kind.localeCompare(b.kind) || a.score - b.score);
}

describe('one answer per person per survey, in every engine', () => {
  let store: Store;
  const docs: object[] = [];
  beforeAll(async () => {
    store = await ENGINES[0]!.open();
    const ts = store.tenant('t');
    for (let c = 1; c <= 4; c++) await ts.customers.create({ name: `c${c}` }, '2026-01-01T00:00:00.000Z');
    for (const r of ROWS) {
      const { interaction } = await ts.interactions.add({ ...r, identity: null, type: 'survey_response', channel: 'web:dm', direction: 'in', amountMinor: null, currency: null });
      docs.push({ ...interaction, occurredAt: new Date(interaction.occurredAt) });
    }
  });
  afterAll(() => store.close());

  it.each([null, surveySourcePrefix('S-1'), surveySourcePrefix('S-2'), surveySourcePrefix('S-9')])('survey %s', async (prefix) => {
    const expected = reference(ROWS, prefix);
    const sql = await store.tenant('t').analytics.surveyScores(BOUNDS, null, prefix);
    const mongo = readSurveyScores(new Aggregator(surveyScoresPipeline('t', BOUNDS.map((b) => new Date(b)), null, prefix)).run(docs) as Record<string, unknown>[]);
    expect(sql).toEqual(expected);
    expect(mongo).toEqual(expected);
  });

  it('counts the latest answer of a changed score once', async () => {
    const march = (await store.tenant('t').analytics.surveyScores(BOUNDS, null, surveySourcePrefix('S-1'))).filter((r) => r.bucket === 0);
    expect(march).toEqual([{ bucket: 0, kind: 'nps', score: 0, count: 1 }, { bucket: 0, kind: 'nps', score: 9, count: 1 }]);
  });
});
