import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capturePrepared, explain } from '../../../test/store/sqlite-plans.js';
import { openSqliteStore } from './engine.js';

const NOW = '2026-06-30T12:00:00.000Z';

/**
 * The lookups a command or the customer view makes, by the repositories' own SQL (captured as it is prepared and
 * explained on a second connection to the file): each reads the index that narrows it to the few rows it wants.
 * Left to itself, SQLite walked the whole tenant in primary-key order to spare a sort of those few rows.
 */
describe('SQLite lookups by name, customer and stage', () => {
  const prepared = capturePrepared();

  const file = join(mkdtempSync(join(tmpdir(), 'crm-plans-')), 'crm.sqlite');
  const store = openSqliteStore(file);
  afterAll(() => store.close());
  const t = store.tenant('acme');

  /** The plan, with `args`, of the statement the repositories prepared that matches `sql` (prepared once, then reused). */
  const planOf = (sql: RegExp, args: unknown[]): string => {
    const found = prepared.filter((s) => sql.test(s));
    expect(found).toHaveLength(1);
    return explain(file, found[0]!, args).join(' | ');
  };

  it('finds a customer by name, their cases and deals, a stage\'s and a rep\'s deals through their indexes, in id order', async () => {
    for (let i = 1; i <= 30; i++) await t.customers.create({ name: i % 10 === 0 ? 'Acme' : `Customer ${i}` }, NOW);
    for (let i = 1; i <= 30; i++) {
      await t.deals.create({ customerId: i, title: `D${i}`, amountMinor: 100, currency: 'USD', stage: i % 3 ? 'lead' : 'won', probability: 0.1, owner: 'web:rep', expectedClose: null }, 'web:rep', NOW);
      await t.cases.open({ customerId: (i % 5) + 1, kind: 'complaint', owner: null, summary: `case ${i}`, dueAt: null }, NOW);
    }

    expect((await t.customers.findByName('acme')).map((c) => c.id)).toEqual([10, 20, 30]);
    expect(planOf(/^SELECT \* FROM customers WHERE tenant = \? AND name_lc = \?/, ['acme', 'acme'])).toBe('SEARCH customers USING INDEX customers_name_id (tenant=? AND name_lc=?)');

    expect((await t.deals.list({ stage: 'won' }, 3)).map((d) => d.id)).toEqual([30, 27, 24]);
    expect(planOf(/^SELECT \* FROM deals WHERE tenant = \? AND stage = \? ORDER/, ['acme', 'won', 3])).toBe('SEARCH deals USING INDEX deals_stage_id (tenant=? AND stage=?)');
    expect((await t.deals.list({ owner: 'web:rep', open: true }, 2)).map((d) => d.id)).toEqual([30, 29]);
    expect(planOf(/^SELECT \* FROM deals WHERE tenant = \? AND owner = \? AND closed_at IS NULL ORDER/, ['acme', 'web:rep', 2])).toBe('SEARCH deals USING INDEX deals_owner_id (tenant=? AND owner=?)');
    await t.deals.list({ customerId: 7 }, 3);
    expect(planOf(/^SELECT \* FROM deals WHERE tenant = \? AND customer_id = \? ORDER/, ['acme', 7, 3])).toBe('SEARCH deals USING INDEX deals_customer_id (tenant=? AND customer_id=?)');

    expect((await t.cases.listOpen(2)).map((k) => k.id)).toEqual([1, 6, 11, 16, 21, 26]);
    expect(planOf(/status = 'open' AND customer_id = \? ORDER BY id/, ['acme', 2])).toBe('SEARCH cases USING INDEX cases_customer (tenant=? AND customer_id=?)');
    await t.cases.listOpen();
    expect(planOf(/status = 'open' ORDER BY id/, ['acme'])).toBe('SEARCH cases USING INDEX cases_status_id (tenant=? AND status=?)');
    expect((await t.cases.list({ customerId: 2 }, 10)).map((k) => k.id)).toEqual([1, 6, 11, 16, 21, 26]);
    expect(planOf(/WHERE tenant = @t AND customer_id = @customerId ORDER BY id/, [{ t: 'acme', customerId: 2, limit: 10 }])).toBe('SEARCH cases USING INDEX cases_customer (tenant=? AND customer_id=?)');

    expect(await t.cases.respond(2, NOW)).toBe(6);
    expect(planOf(/^UPDATE cases SET first_response_at/, [NOW, 'acme', 3, NOW])).toBe('SEARCH cases USING INDEX cases_customer (tenant=? AND customer_id=?)');
  });
});
