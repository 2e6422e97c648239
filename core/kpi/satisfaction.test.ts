import { describe, expect, it } from 'vitest';
import { cesEstimate, csatEstimate, describeEstimate, npsEstimate } from './satisfaction.js';

/** Reference values computed here with plain loops from CRM-METHOD's formulas, not by the code under test. */
function refNps(scores: number[]) {
  let p = 0;
  let d = 0;
  for (const s of scores) {
    if (s >= 9) p++;
    else if (s <= 6) d++;
  }
  const n = scores.length;
  const pa = (p + 0.75) / (n + 3);
  const da = (d + 0.75) / (n + 3);
  const margin = 1.96 * Math.sqrt((pa + da - (pa - da) * (pa - da)) / (n + 3)) * 100;
  const centre = (pa - da) * 100;
  return {
    value: Math.round(((p - d) / n) * 1000) / 10,
    margin: Math.round(margin * 10) / 10,
    low: Math.round(Math.max(-100, centre - margin) * 10) / 10,
    high: Math.round(Math.min(100, centre + margin) * 10) / 10,
  };
}

const repeat = (pattern: number[], n: number) => Array.from({ length: n }, (_, i) => pattern[i % pattern.length]!);

describe('NPS with n and an interval that behaves at small n', () => {
  it.each([
    { n: 1, scores: [10] },
    { n: 1, scores: [0] },
    { n: 5, scores: [10, 10, 10, 10, 10] },
    { n: 5, scores: [9, 3, 8, 10, 6] },
    { n: 30, scores: repeat([10, 9, 7, 5, 0, 10], 30) },
    { n: 1000, scores: repeat([10, 9, 8, 7, 6, 3, 10, 9, 10, 2], 1000) },
  ])('n = $n: $scores.0 ...', ({ n, scores }) => {
    const ref = refNps(scores);
    const e = npsEstimate(scores, 30);
    expect(e).toEqual({ value: ref.value, n, margin: ref.margin, low: ref.low, high: ref.high, tooFew: n < 30 });
    // Never a zero-width interval, never past the scale.
    expect(e.margin!).toBeGreaterThan(0);
    expect(e.low!).toBeGreaterThanOrEqual(-100);
    expect(e.high!).toBeLessThanOrEqual(100);
  });

  it('at n = 1 the interval is wide, at n = 1,000 narrow', () => {
    expect(npsEstimate([10]).margin!).toBeGreaterThan(70);
    expect(npsEstimate(repeat([10, 0, 8], 1000)).margin!).toBeLessThan(6);
  });

  it('says "too few answers" under the minimum and shows n', () => {
    expect(describeEstimate(npsEstimate([10, 10, 0], 30), 30)).toMatch(/^33\.3 ±\d+(\.\d)? \(n = 3; too few answers, under 30\)$/);
    expect(describeEstimate(npsEstimate(repeat([10], 30), 30), 30)).toMatch(/^100 ±\d+(\.\d)? \(n = 30\)$/);
    expect(describeEstimate(npsEstimate([], 30), 30)).toBe('no answers (n = 0)');
  });
});

describe('CSAT and CES with n and intervals', () => {
  it.each([
    { scores: [5], x: 1 },
    { scores: [5, 4, 3, 2, 1], x: 2 },
    { scores: repeat([5, 4, 2], 30), x: 20 },
    { scores: repeat([5, 1, 4, 3], 1000), x: 500 },
  ])('CSAT over $scores.length answers', ({ scores, x }) => {
    const n = scores.length;
    const nt = n + 1.96 * 1.96;
    const pt = (x + (1.96 * 1.96) / 2) / nt;
    const margin = 1.96 * Math.sqrt((pt * (1 - pt)) / nt) * 100;
    const e = csatEstimate(scores, 30);
    expect(e.value).toBe(Math.round((x / n) * 1000) / 10);
    expect(e.n).toBe(n);
    expect(e.margin).toBe(Math.round(margin * 10) / 10);
    expect(e.tooFew).toBe(n < 30);
    expect(e.low!).toBeGreaterThanOrEqual(0);
    expect(e.high!).toBeLessThanOrEqual(100);
  });

  it.each([
    { scores: [4] },
    { scores: [1, 1, 1, 1, 1] },
    { scores: repeat([2, 3, 7], 30) },
    { scores: repeat([1, 2, 3, 4, 5, 6, 7], 1000) },
  ])('CES over $scores.length answers', ({ scores }) => {
    const padded = [...scores, 1, 7];
    let sum = 0;
    for (const s of padded) sum += s;
    const mean = sum / padded.length;
    let ss = 0;
    for (const s of padded) ss += (s - mean) ** 2;
    const margin = 1.96 * Math.sqrt(ss / (padded.length - 1) / padded.length);
    let raw = 0;
    for (const s of scores) raw += s;
    const e = cesEstimate(scores, 30);
    expect(e.value).toBe(Math.round((raw / scores.length) * 100) / 100);
    expect(e.margin).toBe(Math.round(margin * 100) / 100);
    expect(e.margin!).toBeGreaterThan(0);
    expect(e.tooFew).toBe(scores.length < 30);
  });
});
