import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('writes what arrives together in one call, and a full batch at once', async () => {
    const calls: number[][] = [];
    const g = new GroupCommit<number>({ windowMs: 5, maxItems: 3 }, async (items) => void calls.push(items));
    await Promise.all([g.add(1), g.add(2), g.add(3), g.add(4), g.add(5)]);
    expect(calls).toEqual([[1, 2, 3], [4, 5]]);
  });

  it('with no window, writes what arrived in the same turn together and each awaited add alone', async () => {
    const calls: number[][] = [];
    const g = new GroupCommit<number>({ windowMs: 0, maxItems: 10 }, async (items) => void calls.push(items));
    await Promise.all([g.add(1), g.add(2), g.add(3)]);
    await g.add(4);
    await g.add(5);
    expect(calls).toEqual([[1, 2, 3], [4], [5]]);
  });

  it('resolves nobody before the write, and rejects every item of a failed batch', async () => {
    let release!: () => void;
    const written = new Promise<void>((ok) => (release = ok));
    let resolved = 0;
    const g = new GroupCommit<number>({ windowMs: 1, maxItems: 10 }, () => written);
    const adds = [g.add(1), g.add(2)].map((p) => p.then(() => resolved++));
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(0);
    release();
    await Promise.all(adds);
    expect(resolved).toBe(2);

    const failing = new GroupCommit<number>({ windowMs: 1, maxItems: 10 }, async () => {
      throw new Error('disk full');
    });
    const results = await Promise.allSettled([failing.add(1), failing.add(2)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
