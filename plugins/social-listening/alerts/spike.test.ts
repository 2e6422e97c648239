import { describe, expect, it } from 'vitest';
import { baselineCounts, detectSpike, hourOf, previousHours } from './spike.js';

const rule = { minCount: 5, minZ: 3 };
const flat = (v: number) => Array.from({ length: 168 }, () => v);
const noisy = Array.from({ length: 168 }, (_, i) => [2, 4, 3, 5, 1, 3][i % 6]!);

describe('detectSpike', () => {
  it.each([
    ['quiet query, 1 -> 3 is below the floor', 3, flat(0), false],
    ['quiet query, 5 reaches the floor', 5, flat(0), true],
    ['quiet query, 4 stays below the floor', 4, flat(0), false],
    ['steady 1/hour, 5 is 4 sd-floors above', 5, flat(1), true],
    ['steady 3/hour, 5 is only z=2', 5, flat(3), false],
    ['steady 10/hour, 12 is normal', 12, flat(10), false],
    ['steady 10/hour, 13 is z=3', 13, flat(10), true],
    ['noisy 3±1.3/hour, 7 is z~3.1', 7, noisy, true],
    ['noisy 3±1.3/hour, 6 is z~2.3', 6, noisy, false],
    ['no history at all', 5, [], true],
  ])('%s', (_name, current, baseline, spike) => {
    expect(detectSpike(current, baseline, rule).spike).toBe(spike);
  });

  it('reports the z-score with mean and sd', () => {
    expect(detectSpike(13, flat(10), rule)).toEqual({ spike: true, z: 3, mean: 10, sd: 0 });
  });
});

describe('hours', () => {
  it('keys hours in UTC and lists the 7 days before', () => {
    expect(hourOf('2026-03-01T14:59:59.999Z')).toBe('2026-03-01T14');
    const prev = previousHours('2026-03-01T14');
    expect(prev).toHaveLength(168);
    expect(prev[0]).toBe('2026-02-22T14');
    expect(prev.at(-1)).toBe('2026-03-01T13');
    const counts = baselineCounts('2026-03-01T14', new Map([['2026-03-01T13', 4], ['2026-03-01T14', 99]]));
    expect(counts.at(-1)).toBe(4);
    expect(counts.reduce((a, b) => a + b)).toBe(4);
    expect(baselineCounts('2026-03-01T14', new Map([['2026-03-01T13', 4]]), '2026-03-01T12')).toEqual([0, 4]);
  });
});
