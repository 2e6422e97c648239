import { describe, expect, it } from 'vitest';
import { quintileScores, rfmScores, rfmSegment } from './rfm.js';

describe('quintileScores', () => {
  it.each([
    { values: [], scores: [] },
    { values: [7], scores: [1] },
    { values: [3, 3, 3, 3], scores: [1, 1, 1, 1] },
    { values: [1, 2, 3, 4, 5], scores: [1, 2, 3, 4, 5] },
    { values: [10, 1, 1, 2], scores: [3, 1, 1, 2] },
    { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], scores: [1, 1, 2, 2, 3, 3, 4, 4, 5, 5] },
  ])('$values -> $scores', ({ values, scores }) => {
    expect(quintileScores(values)).toEqual(scores);
  });
});

describe('rfmScores', () => {
  it('returns nothing for no customers', () => {
    expect(rfmScores([], '2026-01-01T00:00:00Z')).toEqual([]);
  });

  it('scores one customer 1 (a single distinct value) and ignores purchases after the as-of date', () => {
    expect(rfmScores([
      { customerId: 9, at: '2026-01-01T00:00:00Z', amountMinor: 100 },
      { customerId: 9, at: '2026-03-01T00:00:00Z', amountMinor: 900 },
    ], '2026-01-11T12:00:00Z')).toEqual([{ customerId: 9, recencyDays: 10, frequency: 1, monetaryMinor: 100, r: 1, f: 1, m: 1 }]);
  });
});

describe('rfmSegment', () => {
  it.each([
    [5, 5, 5, 'Champions'], [5, 4, 4, 'Champions'], [4, 5, 4, 'Loyal'], [3, 4, 5, 'Loyal'],
    [5, 2, 3, 'Potential loyalist'], [5, 1, 1, 'New'], [4, 1, 1, 'Promising'], [3, 3, 3, 'Need attention'],
    [3, 1, 2, 'About to sleep'], [2, 5, 5, 'Cannot lose them'], [1, 3, 4, 'At risk'], [2, 1, 2, 'Hibernating'],
    [1, 1, 1, 'Lost'],
  ])('R%i F%i M%i -> %s', (r, f, m, segment) => {
    expect(rfmSegment(r, f, m)).toBe(segment);
  });

  it('names a segment for every possible score', () => {
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) expect(() => rfmSegment(r, f, m)).not.toThrow();
  });
});
