import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Store } from '../core/index.js';
import { openSqliteStore } from '../core/store/sqlite/engine.js';
import { Listening } from '../plugins/social-listening/listening.js';
import type { Ctx } from '../plugins/social-listening/manifest.js';
import type { AuthorDay, HourlyCount, SavedQuery } from '../plugins/social-listening/store.js';

const NOW = '2026-06-30T12:00:00.000Z';
/** Heard three hours before now: counted, but too old to start a spike, so no alert path runs. */
const AT = '2026-06-30T09:15:00.000Z';

/**
 * A document collection whose writes land `turns` event-loop turns after they are made, as a networked store's
 * would: a slow writer's stale write then lands after a fast writer's newer one, the race counters must survive.
 */
function slowWrites<T extends object>(target: T, turns: number): T {
  return new Proxy(target, {
    get: (t, prop) => {
      const v = Reflect.get(t, prop) as unknown;
      if (typeof v !== 'function' || !['put', 'insertIfAbsent', 'increment', 'update', 'updateIfPresent'].includes(String(prop))) return v;
      return async (...args: unknown[]) => {
        for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
        return (v as (...a: unknown[]) => unknown).apply(t, args);
      };
    },
  });
}

/** What `hear` uses of a plugin context, over one store handle: the plugin's documents and the tenant's interactions. */
function contextOver(store: Store, turns = 0): Ctx {
  return {
    docs: (tenant: string, collection: string) => slowWrites(store.tenant(tenant).docs('social-listening', collection), turns),
    tenant: (tenant: string) => store.tenant(tenant),
    now: () => NOW,
    config: { baselineHours: 24, minSpikeCount: 5, spikeZ: 3 },
  } as unknown as Ctx;
}

describe('social listening counters with two writers on one SQLite file', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'crm-listen-count-')), 'crm.sqlite');
  const stores = [openSqliteStore(file), openSqliteStore(file)];
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  const heard = (i: number, text: string, author: string | null) => ({
    origin: `m${i}`, interactionId: null, author, authorName: author ?? 'feed', customerId: null, channel: 'web', platform: 'web', permalink: null, occurredAt: AT, text,
  });
  const hourly = () => stores[1]!.tenant('acme').docs<HourlyCount>('social-listening', 'hourly').get('brand|2026-06-30T09');

  it('counts every mention of the hour once while a slow process and a fast one record mentions of it together', async () => {
    await stores[0]!.tenant('acme').docs<SavedQuery>('social-listening', 'queries').put({ id: 'brand', name: 'brand', query: 'acme', createdBy: 'web:mona', createdAt: '2026-06-01T00:00:00.000Z' });
    // The slow process reads the hour's state, then its write lands only after the fast one has recorded 30 more.
    const slow = new Listening(contextOver(stores[0]!, 50));
    const fast = new Listening(contextOver(stores[1]!, 1));
    await Promise.all([
      slow.hear('acme', heard(0, 'acme feed item 0', null)),
      ...Array.from({ length: 30 }, (_, i) => fast.hear('acme', heard(i + 1, `acme feed item ${i + 1}`, null))),
    ]);
    expect(await hourly()).toEqual({ id: 'brand|2026-06-30T09', query: 'brand', hour: '2026-06-30T09', count: 31 });
    expect(await stores[0]!.tenant('acme').docs('social-listening', 'mentions').count({ query: 'brand' })).toBe(31);
  });

  it('counts every message of an author and the hour\'s mentions exactly, however two processes interleave', async () => {
    const processes = stores.map((s, i) => new Listening(contextOver(s, 1 + 2 * i)));
    const texts = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? `nothing to see ${i}` : `acme works well ${i}`));
    await Promise.all(texts.map((text, i) => processes[i % 2]!.hear('acme', heard(100 + i, text, `web:u${i % 3}`))));

    const matched = texts.filter((t) => t.startsWith('acme')).length;
    expect((await hourly())?.count).toBe(31 + matched);
    const authors = await stores[1]!.tenant('acme').docs<AuthorDay>('social-listening', 'authors').find({ day: '2026-06-30' });
    const expected = [0, 1, 2].map((u) => {
      const mine = texts.filter((_, i) => i % 3 === u);
      return { id: `web:u${u}|2026-06-30`, messages: mine.length, mentions: mine.filter((t) => t.startsWith('acme')).length };
    });
    expect(authors.map(({ id, messages, mentions }) => ({ id, messages, mentions }))).toEqual(expected);
  });

  it('a redelivered message counts once', async () => {
    const before = (await hourly())!.count;
    expect(await new Listening(contextOver(stores[0]!)).hear('acme', heard(100, 'acme works well 0', 'web:u0'))).toEqual([]);
    expect((await hourly())?.count).toBe(before);
  });
});
