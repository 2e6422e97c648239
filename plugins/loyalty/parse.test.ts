import { describe, expect, it } from 'vitest';
import { parsePoints, parseRewardId, parseStock } from './parse.js';

describe('parsing points, stock and reward ids', () => {
  it.each([
    ['50', 100, { ok: true, value: 50 }],
    ['1,000', 10_000, { ok: true, value: 1000 }],
    ['-5', 100, { ok: false, error: 'Points cannot be negative (you wrote -5)' }],
    ['2.5', 100, { ok: false, error: 'Points are whole numbers (you wrote 2.5)' }],
    ['0', 100, { ok: false, error: 'Points must be above zero' }],
    ['101', 100, { ok: false, error: 'Points are at most 100 at a time (you wrote 101)' }],
    ['lots', 100, { ok: false, error: '"lots" is not a number of points (write e.g. 50)' }],
    ['1e3', 10_000, { ok: false, error: '"1e3" is not a number of points (write e.g. 50)' }],
  ] as const)('points %s (max %i)', (raw, max, want) => {
    expect(parsePoints(raw, max)).toEqual(want);
  });

  it.each([
    ['0', { ok: true, value: 0 }],
    ['12', { ok: true, value: 12 }],
    ['-1', { ok: false, error: 'Stock cannot be negative (you wrote -1)' }],
  ] as const)('stock %s', (raw, want) => {
    expect(parseStock(raw, 1000)).toEqual(want);
  });

  it.each([
    ['Coffee-Mug', { ok: true, value: 'coffee-mug' }],
    ['{"$gt":""}', { ok: false, error: '"{"$gt":""}" is not a reward id (lower-case letters, digits and -, e.g. coffee-mug)' }],
    ['add', { ok: false, error: '"add" is a command word; pick another reward id' }],
  ] as const)('reward id %s', (raw, want) => {
    expect(parseRewardId(raw)).toEqual(want);
  });
});
