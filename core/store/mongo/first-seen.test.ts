import { describe, expect, it } from 'vitest';
import { seenOutcomes } from './first-seen.js';

const down = new Error('connection closed');

describe('seenOutcomes: what each dedupe key of one bulk write answers', () => {
  it.each([
    { case: 'all new', count: 3, upserted: { 0: 'a', 1: 'b', 2: 'c' }, error: undefined, want: [true, true, true] },
    { case: 'the middle one was seen before (matched, not upserted)', count: 3, upserted: { 0: 'a', 2: 'c' }, error: undefined, want: [true, false, true] },
    { case: 'nothing new', count: 2, upserted: {}, error: undefined, want: [false, false] },
    {
      case: 'one key lost a duplicate-key race inside the batch: already seen', count: 2, upserted: undefined,
      error: { writeErrors: [{ index: 1, code: 11000, errmsg: 'E11000 duplicate key' }], result: { upsertedIds: { 0: 'a' } } }, want: [true, false],
    },
    {
      case: 'one write refused: only that key fails', count: 3, upserted: undefined,
      error: { writeErrors: { index: 2, code: 121, errmsg: 'Document failed validation' }, result: { upsertedIds: { 0: 'a' } } }, want: [true, false, 'Document failed validation'],
    },
    { case: 'the whole write failed: every key fails', count: 2, upserted: undefined, error: down, want: ['connection closed', 'connection closed'] },
  ])('$case', ({ count, upserted, error, want }) => {
    const got = seenOutcomes(count, upserted, error).map((o) => (o.ok ? o.value : (o.error as Error).message));
    expect(got).toEqual(want);
  });
});
