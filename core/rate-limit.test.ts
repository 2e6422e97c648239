import { describe, expect, it } from 'vitest';
import { openSqliteStore } from './store/sqlite/engine.js';
import { bucketKey, msUntilToken, RateLimiter, type RateLimitSettings } from './rate-limit.js';

const limiter = (settings: RateLimitSettings, clock: () => number) => new RateLimiter(openSqliteStore(':memory:').system.rateBuckets, settings, clock);

describe('msUntilToken', () => {
  it.each([
    // [tokens left, per minute, ms until one token]
    [0, 60, 1000],
    [0.5, 60, 500],
    [0, 5, 12_000],
    [0.9999999, 60, 1],
  ])('%s tokens at %s a minute: %s ms', (tokens, perMinute, ms) => {
    expect(msUntilToken(tokens, perMinute)).toBe(ms);
  });
});

describe('bucketKey', () => {
  it('names a bucket by a digest: the same for every process, apart per kind, never the identifier itself', () => {
    expect(bucketKey('identity', 'telegram:5100000444')).toBe(bucketKey('identity', 'telegram:5100000444'));
    expect(bucketKey('identity', 'web:a')).not.toBe(bucketKey('source', 'web:a'));
    expect(bucketKey('identity', 'web:a')).not.toBe(bucketKey('identity', 'web:b'));
    expect(bucketKey('identity', 'telegram:5100000444')).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(bucketKey('identity', 'telegram:5100000444')).not.toContain('5100000444');
  });
});

describe('RateLimiter on stored buckets', () => {
  it.each([
    // [what happens, ms between filling the table and the new key, whether the new key gets room]
    ['the oldest key is still spending: the new key waits', 0, false],
    ['the oldest key has refilled: it is forgotten and the new key fits', 60_000, true],
  ])('%s', async (_, later, fits) => {
    let now = 0;
    const r = limiter({ commandsPerMinute: 60, sourcePerMinute: 60, trackedKeys: 2 }, () => now);
    for (const k of ['a', 'b']) expect((await r.admit(k, null)).ok).toBe(true);
    now += later;
    expect(await r.admit('c', null)).toMatchObject(fits ? { ok: true } : { ok: false, by: 'identity', retryMs: 60_000 });
    expect(await r.tracked('identity')).toBe(fits ? 1 : 2);
  });

  it('never lets a throttled key go to make room', async () => {
    let now = 0;
    const r = limiter({ commandsPerMinute: 2, sourcePerMinute: 100, trackedKeys: 1 }, () => now);
    expect([(await r.admit('real', null)).ok, (await r.admit('real', null)).ok]).toEqual([true, true]);
    expect(await r.admit('real', null)).toMatchObject({ ok: false, retryMs: 30_000 });
    for (let i = 0; i < 1000; i++) expect((await r.admit(`fake${i}`, null)).ok).toBe(false);
    expect((await r.admit('real', null)).ok).toBe(false);
    now += 30_000;
    expect((await r.admit('real', null)).ok).toBe(true);
  });

  it('tells a throttled key once per minute', async () => {
    let now = 0;
    const r = limiter({ commandsPerMinute: 1, sourcePerMinute: 100, trackedKeys: 10 }, () => now);
    expect((await r.admit('k', null)).ok).toBe(true);
    expect([await r.admit('k', null), await r.admit('k', null)].map((a) => !a.ok && a.tell)).toEqual([true, false]);
    now += 59_000;
    expect(await r.admit('k', null)).toMatchObject({ ok: false, tell: false });
    now += 1000;
    expect((await r.admit('k', null)).ok).toBe(true);
    expect(await r.admit('k', null)).toMatchObject({ ok: false, tell: true });
  });

  it('spends from identity and source together, or from neither', async () => {
    const r = limiter({ commandsPerMinute: 2, sourcePerMinute: 3, trackedKeys: 100 }, () => 0);
    expect([await r.admit('a', 's'), await r.admit('a', 's'), await r.admit('a', 's')].map((x) => x.ok)).toEqual([true, true, false]);
    // a's refusal gave the source its token back: b still gets the third.
    expect((await r.admit('b', 's')).ok).toBe(true);
    expect(await r.admit('c', 's')).toMatchObject({ ok: false, by: 'source' });
    expect(await r.tracked('identity')).toBe(2); // c was refused by its source before it got a bucket
    expect((await r.admit('c', null)).ok).toBe(true);
  });

  it('two limiters on one store share every budget', async () => {
    const buckets = openSqliteStore(':memory:').system.rateBuckets;
    const settings = { commandsPerMinute: 5, sourcePerMinute: 100, trackedKeys: 100 };
    const [one, two] = [new RateLimiter(buckets, settings, () => 0), new RateLimiter(buckets, settings, () => 0)];
    let admitted = 0;
    for (let i = 0; i < 10; i++) if ((await (i % 2 ? one : two).admit('shared', 'web:1')).ok) admitted++;
    expect(admitted).toBe(5);
  });
});
