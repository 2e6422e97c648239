import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('writes what arrives together in one call, and a full batch at once', async () => {
    const calls: number[][] = [];
    const g = new GroupCommit<number>({ windowMs: 5, maxItems: 3 }, async (items) => void calls.push(items));
    await Promise.all([g.add(1), g.add(2), g.add(3), g.add(4), g.add(5)]);
    expect(calls).toEqual([[1, 2, 3], [4, 5]]);
  });

  it("with a 'turn' window, writes what arrives in the same turn together, even after a few awaits, and each awaited add alone", async () => {
    const calls: number[][] = [];
    const g = new GroupCommit<number>({ windowMs: 'turn', maxItems: 10 }, async (items) => void calls.push(items));
    const afterReads = async (n: number, reads: number) => {
      for (let i = 0; i < reads; i++) await Promise.resolve();
      return g.add(n);
    };
    await Promise.all([afterReads(1, 0), afterReads(2, 3), afterReads(3, 7)]);
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

describe('GroupCommit with one outcome per item', () => {
  it('settles each item with its own outcome, so one failure leaves the others written', async () => {
    const g = new GroupCommit<number, string>({ windowMs: 5, maxItems: 10 }, async (items) =>
      items.map((n) => (n === 2 ? { ok: false as const, error: new Error('two is refused') } : { ok: true as const, value: `stored ${n}` })));
    const results = await Promise.allSettled([g.add(1), g.add(2), g.add(3)]);
    expect(results).toEqual([
      { status: 'fulfilled', value: 'stored 1' },
      { status: 'rejected', reason: new Error('two is refused') },
      { status: 'fulfilled', value: 'stored 3' },
    ]);
  });

  it('with a zero window, groups what is added together, without waiting for a turn of the event loop', async () => {
    const calls: number[][] = [];
    const g = new GroupCommit<number, number>({ windowMs: 0, maxItems: 100 }, async (items) => {
      calls.push(items);
      return items.map((n) => ({ ok: true as const, value: n * 10 }));
    });
    const first = await Promise.all([g.add(1), g.add(2), g.add(3)]);
    const second = await g.add(4);
    expect(first).toEqual([10, 20, 30]);
    expect(second).toBe(40);
    expect(calls).toEqual([[1, 2, 3], [4]]);
  });
});
