import { describe, expect, it } from 'vitest';
import { FairQueue } from './queue.js';

/** Runs the queue with work that records its order and finishes when told. */
function recorder(concurrency: number, capacity = 100) {
  const order: string[] = [];
  const q = new FairQueue<string>({ capacity, concurrency, yieldBetween: true, onError: () => {} }, async (item) => {
    order.push(item);
  });
  return { q, order };
}

describe('FairQueue', () => {
  it('takes turns across tenants, then across identities, keeping each identity in order', async () => {
    const { q, order } = recorder(1);
    // Everything is pushed before the first item can run (it starts on push, the rest wait their turn).
    q.push('big', 'a', 'big-a1');
    q.push('big', 'a', 'big-a2');
    q.push('big', 'a', 'big-a3');
    q.push('big', 'b', 'big-b1');
    q.push('small', 'c', 'small-c1');
    q.push('small', 'c', 'small-c2');
    await q.drained();
    expect(order).toEqual(['big-a1', 'small-c1', 'big-b1', 'small-c2', 'big-a2', 'big-a3']);
  });

  it('never runs two items of one identity at once, but different identities side by side', async () => {
    const running = new Set<string>();
    let overlapSame = false;
    let maxAtOnce = 0;
    const q = new FairQueue<{ who: string }>({ capacity: 100, concurrency: 3, yieldBetween: true, onError: () => {} }, async ({ who }) => {
      if (running.has(who)) overlapSame = true;
      running.add(who);
      maxAtOnce = Math.max(maxAtOnce, running.size);
      await new Promise((r) => setTimeout(r, 2));
      running.delete(who);
    });
    for (let i = 0; i < 30; i++) q.push('t', `u${i % 4}`, { who: `u${i % 4}` });
    await q.drained();
    expect(overlapSame).toBe(false);
    expect(maxAtOnce).toBe(3);
  });

  it('refuses beyond its capacity unless the item was already promised a place', async () => {
    const q = new FairQueue<number>({ capacity: 2, concurrency: 1, yieldBetween: true, onError: () => {} }, () => new Promise((r) => setTimeout(r, 1)));
    expect([q.push('t', 'a', 1), q.push('t', 'b', 2), q.push('t', 'c', 3)]).toEqual([true, true, false]);
    expect(q.push('t', 'c', 4, true)).toBe(true);
    expect(q.size).toBe(3);
    await q.drained();
    expect(q.size).toBe(0);
  });

  it('keeps going after an item fails', async () => {
    const done: number[] = [];
    const errors: unknown[] = [];
    const q = new FairQueue<number>({ capacity: 10, concurrency: 1, yieldBetween: true, onError: (e) => errors.push(e) }, async (n) => {
      if (n === 1) throw new Error('boom');
      done.push(n);
    });
    q.push('t', 'a', 1);
    q.push('t', 'a', 2);
    await q.drained();
    expect(done).toEqual([2]);
    expect(errors.map(String)).toEqual(['Error: boom']);
  });

  it.each([
    { yieldBetween: true, order: ['start 1', 'turn', 'start 2'] },
    { yieldBetween: false, order: ['start 1', 'start 2', 'turn'] },
  ])('goes on to the next item after a turn of the event loop only when the work runs here (yieldBetween $yieldBetween)', async ({ yieldBetween, order }) => {
    const seen: string[] = [];
    const q = new FairQueue<number>({ capacity: 10, concurrency: 1, yieldBetween, onError: () => {} }, async (n) => {
      seen.push(`start ${n}`);
      if (n === 1) setImmediate(() => seen.push('turn'));
    });
    q.push('t', 'a', 1);
    q.push('t', 'a', 2);
    await q.drained();
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(order);
  });
});
