import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capturePrepared, explain } from '../../../test/store/sqlite-plans.js';
import { openSqliteStore } from './engine.js';

/**
 * The docs repository's own SQL, captured as it is prepared, is explained on a second connection to the same
 * file: the plan names the declared index once it exists, and the primary key before.
 */
describe('plugin document indexes on SQLite', () => {
  const prepared = capturePrepared();

  const file = join(mkdtempSync(join(tmpdir(), 'crm-docidx-')), 'crm.sqlite');
  const store = openSqliteStore(file);
  afterAll(() => store.close());
  const mentions = store.tenant('acme').docs<{ id: string; day: string; query: string; hour: string }>('social-listening', 'mentions');

  /** The plan of the last SELECT the repository prepared that filters on `field`, with these arguments. */
  const planOf = (field: string, args: unknown[]): string => {
    const sql = prepared.filter((s) => s.startsWith('SELECT') && s.includes(`json_extract(doc, '$.${field}') = ?`)).at(-1)!;
    return explain(file, sql, args).join('\n');
  };

  it('filters by equality through the declared expression index', async () => {
    for (let i = 0; i < 50; i++) await mentions.put({ id: `m${i}`, day: `2026-06-${10 + (i % 5)}`, query: i % 2 ? 'acme' : 'beta', hour: `2026-06-10T${String(i % 24).padStart(2, '0')}` });
    const find = () => mentions.find({ day: '2026-06-11', query: 'acme' });
    const before = await find();
    const args = ['acme', '2026-06-11', 'acme', 1000];
    expect(planOf('day', args)).not.toMatch(/plugin_docs\.social-listening\.mentions\.day\.query/);

    expect(await store.ensureDocIndexes('social-listening', 'mentions', [['day', 'query'], ['query', 'hour']]))
      .toEqual(['plugin_docs.social-listening.mentions.day.query', 'plugin_docs.social-listening.mentions.query.hour']);
    expect(await find()).toEqual(before);
    expect(planOf('day', args)).toMatch(/USING INDEX plugin_docs\.social-listening\.mentions\.day\.query \(tenant=\? AND plugin=\? AND collection=\? AND <expr>=\? AND <expr>=\?\)/);
    expect(before.map((m) => m.id)).toEqual(['m1', 'm11', 'm21', 'm31', 'm41']);
  });

  it('counts and orders through the index as well', async () => {
    await store.ensureDocIndexes('social-listening', 'mentions', [['query', 'hour']]);
    expect(await mentions.count({ query: 'acme' })).toBe(25);
    const count = prepared.filter((s) => s.startsWith('SELECT COUNT(*)') && s.includes(`json_extract(doc, '$.query') = ?`)).at(-1)!;
    expect(explain(file, count, ['acme', 'acme']).join('\n')).toMatch(/USING COVERING INDEX plugin_docs\.social-listening\.mentions\.query\.hour/);

    const latest = await mentions.find({ query: 'beta' }, { orderBy: 'hour', desc: true, limit: 2 });
    expect(latest.map((m) => m.hour)).toEqual(['2026-06-10T22', '2026-06-10T22']);
    expect(planOf('query', ['acme', 'beta', 2])).toMatch(/USING INDEX plugin_docs\.social-listening\.mentions\.query\.hour/);
  });
});
