import { describe, expect, it } from 'vitest';
import type { Customer, Deal } from '../domain/types.js';
import { pickAmount } from './amount.js';
import { countOf } from './count.js';
import { dealListPage } from './deal-list.js';
import { closestCustomers, didYouMean, nameSimilarity, quoteWord } from './similar-customer.js';

const customer = (id: number, name: string, mergedInto: number | null = null) => ({ id, name, mergedInto }) as Customer;

describe('name similarity', () => {
  it.each([
    ['Acme Crop', 'Acme Corp', 0.78], ['acme corp', 'Acme  Corp', 1], ['Globex', 'Globx', 0.83], ['Acme', 'Initech', 0.14], ['', '', 1],
  ])('%s ~ %s = %d', (a, b, want) => {
    expect(nameSimilarity(a, b)).toBeCloseTo(want, 2);
  });

  it('keeps close names only, best first, never the exact name or a merged-away record', () => {
    const book = [customer(1, 'Acme Corp'), customer(2, 'Acme Crops'), customer(7, 'Acme Crop Limited'), customer(3, 'Initech'), customer(4, 'Acme Corps', 1), customer(5, 'Acme Crop'), customer(1, 'Acme Corp')];
    expect(closestCustomers('Acme Crop', book).map((c) => c.id)).toEqual([2, 1]);
    expect(closestCustomers('Initech', book)).toEqual([]);
  });

  it('asks "Did you mean" with buttons that re-run the command', () => {
    const e = didYouMean('Acme Crop', [customer(1, 'Acme Corp')], { id: 'deal.add', args: (ref) => `${ref} 1200`, create: '"Acme Crop" 1200 new:yes' });
    expect(e.message).toBe('Did you mean Acme Corp (C-1)? Nothing was saved yet: pick one below, or type the id.');
    expect(e.reply.buttons).toEqual([
      { id: 'deal.add', label: 'Use C-1', value: 'C-1 1200' },
      { id: 'deal.add', label: 'Create Acme Crop', value: '"Acme Crop" 1200 new:yes' },
    ]);
    expect(quoteWord('Acme Corp')).toBe('"Acme Corp"');
    expect(quoteWord('C-1')).toBe('C-1');
  });
});

describe('amount anywhere in a purchase', () => {
  it.each([
    [['annual', 'licence', '1200'], 120_000, null, ['annual', 'licence']],
    [['1200', 'EUR', 'annual', 'licence'], 120_000, 'EUR', ['annual', 'licence']],
    [['3', 'seats', 'EUR', '99.95'], 9_995, 'EUR', ['3', 'seats']],
    [['3', 'seats', 'for', '1.2k'], 120_000, null, ['3', 'seats', 'for']],
    [['cup', '5'], 500, null, ['cup']],
  ])('%j -> %i %s', (words, minor, currency, rest) => {
    expect(pickAmount(words)).toEqual({ ok: true, minor, currency, rest });
  });

  it('says when there is no amount', () => {
    expect(pickAmount(['stuff'])).toMatchObject({ ok: false, error: expect.stringMatching(/^no amount found/) });
  });
});

describe('counts in the tenant locale', () => {
  it.each([
    [1, 'en', '1 deal'], [2, 'en', '2 deals'], [0, 'en', '0 deals'], [1200, 'en', '1,200 deals'], [1, 'zh', '1 deal'], [12000, 'zh', '12,000 deals'],
  ] as const)('%i in %s -> %s', (n, locale, want) => {
    expect(countOf(n, { one: 'deal', other: 'deals' }, locale)).toBe(want);
  });
});

describe('deal list pages', () => {
  const deal = (id: number, stage: string, closedAt: string | null = null) => ({ id, stage, closedAt }) as Deal;
  const order = ['lead', 'qualified', 'proposal', 'won', 'lost'];

  it('puts open deals first in pipeline order, then won, then lost', () => {
    const { groups, pages } = dealListPage([deal(1, 'won', '2026-01-02'), deal(2, 'lead'), deal(3, 'lost', '2026-01-03'), deal(4, 'proposal'), deal(5, 'lead'), deal(6, 'won', '2026-02-01')], order, 1);
    expect(pages).toBe(1);
    expect(groups.map((g) => [g.stage, g.open, g.deals.map((d) => d.id)])).toEqual([
      ['lead', true, [5, 2]], ['proposal', true, [4]], ['won', false, [6, 1]], ['lost', false, [3]],
    ]);
  });

  it('pages past 20', () => {
    const many = Array.from({ length: 45 }, (_, i) => deal(i + 1, 'lead'));
    expect(dealListPage(many, order, 1)).toMatchObject({ pages: 3 });
    expect(dealListPage(many, order, 3).groups[0]!.deals.map((d) => d.id)).toEqual([5, 4, 3, 2, 1]);
  });
});
