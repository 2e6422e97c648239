import { describe, expect, it } from 'vitest';
import { KeyedLimiter, RateLimiter } from './rate-limit.js';

describe('KeyedLimiter', () => {
  it.each([
    // [what happens, ms between filling the table and the new key, whether the new key gets room]
    ['the oldest key is still spending: the new key waits', 0, false],
    ['the oldest key has refilled: it is forgotten and the new key fits', 60_000, true],
  ])('%s', (_, later, fits) => {
    let now = 0;
    const l = new KeyedLimiter(60, 2, () => now);
    for (const k of ['a', 'b']) {
      expect(l.wait(k)).toBe(0);
      l.spend(k);
    }
    now += later;
    expect(l.wait('c') === 0).toBe(fits);
    if (fits) l.spend('c');
    expect(l.size).toBe(2);
  });

  it('never lets a throttled key go to make room', () => {
    let now = 0;
    const l = new KeyedLimiter(2, 1, () => now);
    l.spend('real');
    l.spend('real');
    expect(l.wait('real')).toBeGreaterThan(0);
    for (let i = 0; i < 1000; i++) expect(l.wait(`fake${i}`)).toBeNull();
    expect(l.wait('real')).toBeGreaterThan(0);
    now += 30_000;
    expect(l.wait('real')).toBe(0);
  });

  it('tells a throttled key once per minute', () => {
    let now = 0;
    const l = new KeyedLimiter(1, 10, () => now);
    l.spend('k');
    expect([l.tell('k'), l.tell('k')]).toEqual([true, false]);
    now += 60_000;
    expect(l.tell('k')).toBe(true);
  });
});

describe('RateLimiter', () => {
  it('spends from identity and source together, or from neither', () => {
    const r = new RateLimiter({ commandsPerMinute: 2, sourcePerMinute: 3, trackedKeys: 100 }, () => 0);
    expect([r.admit('a', 's'), r.admit('a', 's'), r.admit('a', 's')].map((x) => x.ok)).toEqual([true, true, false]);
    expect(r.admit('b', 's').ok).toBe(true);
    expect(r.admit('c', 's')).toMatchObject({ ok: false, by: 'source' });
    expect(r.identities.size).toBe(2); // c was refused by its source before it got a bucket
    expect(r.admit('c', null).ok).toBe(true);
  });
});
