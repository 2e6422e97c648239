import { describe, expect, it } from 'vitest';
import { seeded } from '../../../core/demo/random.js';
import { firstK } from './first-k.js';

describe('firstK = sort then slice', () => {
  const byDaysThenId = (a: { days: number; id: number }, b: { days: number; id: number }) => b.days - a.days || a.id - b.id;
  const r = seeded(3);
  const rows = (n: number, spread: number) => Array.from({ length: n }, (_, i) => ({ id: i + 1, days: r.int(0, spread) }));
  it.each([
    { name: 'none', items: rows(0, 5), k: 50 },
    { name: 'fewer than k', items: rows(7, 5), k: 50 },
    { name: 'exactly k', items: rows(50, 400), k: 50 },
    { name: 'many ties on days', items: rows(3000, 3), k: 50 },
    { name: 'spread out', items: rows(3000, 400), k: 50 },
    { name: 'k of one', items: rows(100, 10), k: 1 },
    { name: 'k of zero', items: rows(100, 10), k: 0 },
    { name: 'already in order', items: rows(500, 400).sort(byDaysThenId), k: 20 },
    { name: 'reverse order', items: rows(500, 400).sort(byDaysThenId).reverse(), k: 20 },
  ])('$name', ({ items, k }) => {
    expect(firstK(items, k, byDaysThenId)).toEqual([...items].sort(byDaysThenId).slice(0, k));
  });
});
