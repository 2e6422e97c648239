import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSqliteStore } from '../store/sqlite/engine.js';
import type { Store } from '../store/port.js';
import { Dispatcher, type DispatcherOptions } from './dispatcher.js';

/**
 * The dispatcher's cursor: stored once per batch of events read, not after each event, yet what a handler finished
 * before one that fails stays finished, and a slow batch stores it before a third of the lease has passed.
 */
describe('Dispatcher: moving a subscription cursor', () => {
  let store: Store;
  let now: number;
  const options = (over: Partial<DispatcherOptions> = {}): DispatcherOptions => ({
    holder: 'p1', clock: () => now, maxAttempts: 3, backoffMs: 1000, maxBackoffMs: 60_000, leaseMs: 30_000, batch: 100,
    onPark: () => undefined, onError: () => undefined, ...over,
  });
  const cursor = async () => (await store.system.subscriptions.list({})).find((s) => s.name === 'test:seen')!;
  beforeEach(async () => {
    now = Date.parse('2026-06-01T12:00:00.000Z');
    store = openSqliteStore(':memory:');
    await store.tenant('t').events.append(Array.from({ length: 5 }, (_, i) => ({ name: 'thing.happened', payload: { n: i + 1 } })), new Date(now).toISOString());
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await store.close();
  });

  it('hands every event over in order and stores the cursor once for the batch', async () => {
    const advance = vi.spyOn(store.system.subscriptions, 'advance');
    const seen: number[] = [];
    const d = new Dispatcher(store, options());
    d.subscribe('test:seen', 'thing.happened', (p: { n: number }) => void seen.push(p.n));
    await d.run();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(advance).toHaveBeenCalledTimes(1);
    expect(await cursor()).toMatchObject({ position: 5, attempts: 0, failedPosition: null });
  });

  it('keeps what was handled before a failing event, records the failure there, and goes on from it once fixed', async () => {
    let broken = true;
    const seen: number[] = [];
    const d = new Dispatcher(store, options());
    d.subscribe('test:seen', 'thing.happened', (p: { n: number }) => {
      if (p.n === 3 && broken) throw new Error('not now');
      seen.push(p.n);
    });
    await d.run();
    expect(seen).toEqual([1, 2]);
    expect(await cursor()).toMatchObject({ position: 2, attempts: 1, failedPosition: 3, lastError: 'not now' });
    broken = false;
    now += 60_000;
    d.rescan();
    await d.run();
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(await cursor()).toMatchObject({ position: 5, attempts: 0, failedPosition: null });
  });

  it('takes no lease for a subscription none of whose events came, and none again after a batch that ended the log', async () => {
    const seen: number[] = [];
    const d = new Dispatcher(store, options());
    d.subscribe('test:seen', 'thing.happened', (p: { n: number }) => void seen.push(p.n));
    d.subscribe('test:other', 'other.thing', () => undefined);
    await d.run();
    const claim = vi.spyOn(store.system.subscriptions, 'claim');
    const release = vi.spyOn(store.system.subscriptions, 'release');
    await store.tenant('t').events.append([{ name: 'thing.happened', payload: { n: 6 } }], new Date(now).toISOString());
    await d.run();
    expect(seen).toEqual([1, 2, 3, 4, 5, 6]);
    expect(claim.mock.calls.map(([name]) => name)).toEqual(['test:seen']);
    expect(release.mock.calls.map(([name]) => name)).toEqual(['test:seen']);
    expect(await cursor()).toMatchObject({ position: 6 });
    // The other one's cursor is where it was (created at 0 by the first pass) and its next event reaches it.
    const other: number[] = [];
    d.subscribe('test:late', 'other.thing', (p: { n: number }) => void other.push(p.n));
    await store.tenant('t').events.append([{ name: 'other.thing', payload: { n: 7 } }], new Date(now).toISOString());
    await d.run();
    expect(other).toEqual([7]);
    expect((await store.system.subscriptions.list({})).find((s) => s.name === 'test:other')).toMatchObject({ position: 7 });
  });

  it('stores the cursor within a batch once a third of the lease has passed since it was last stored', async () => {
    const positions: number[] = [];
    const real = store.system.subscriptions.advance;
    vi.spyOn(store.system.subscriptions, 'advance').mockImplementation((name, tenant, holder, position) => {
      positions.push(position);
      return real(name, tenant, holder, position);
    });
    const d = new Dispatcher(store, options());
    // Each event takes 4 s of the 30 s lease: the cursor is stored after the third (12 s, past 10) and the fifth.
    d.subscribe('test:seen', 'thing.happened', () => void (now += 4000));
    await d.run();
    expect(positions).toEqual([3, 5]);
  });
});
