import { Aggregator } from 'mingo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerTotalPipeline } from '../core/store/mongo/ledger-total.js';
import type { LedgerEntry, LedgerMatch, Store } from '../core/store/port.js';
import { ENGINES } from './store/engines.js';

const SCOPE = { tenant: 'acme', plugin: 'loyalty', ledger: 'points' };
const KINDS = ['earn', 'reversal', 'adjust', 'release', 'redeem'];
const REVERSED = ['earn', 'redeem', 'adjust'];
const day = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

/** A deterministic spread of entries over 3 accounts, 5 kinds and 60 days. */
const ENTRIES: LedgerEntry[] = Array.from({ length: 300 }, (_, i) => {
  const kind = KINDS[(i * 7) % KINDS.length]!;
  return {
    key: `k${i}`, account: ['avail:1', 'pending:1', 'avail:2'][i % 3]!, delta: ((i * 37) % 101) - 30, kind, at: day((i * 13) % 60),
    data: kind === 'reversal' ? { reversed: REVERSED[i % REVERSED.length] } : {},
  };
});

const CASES: { accounts: string[]; window: { from: string; to: string }; matches: LedgerMatch[] }[] = [
  { accounts: ['avail:1', 'pending:1'], window: { from: day(10), to: day(40) }, matches: [{ kind: 'earn' }, { kind: 'reversal', data: { reversed: 'earn' } }] },
  { accounts: ['avail:1'], window: { from: day(-1), to: day(59) }, matches: [{ kind: 'earn' }] },
  { accounts: ['avail:2', 'pending:1'], window: { from: day(0), to: day(20) }, matches: [{ kind: 'reversal' }] },
  { accounts: ['avail:1', 'avail:2', 'pending:1'], window: { from: day(5), to: day(6) }, matches: [{ kind: 'adjust' }, { kind: 'redeem' }, { kind: 'reversal', data: { reversed: 'redeem' } }] },
];

/** The definition, written out plainly: what each engine must agree with. */
const expected = (c: (typeof CASES)[number]) =>
  ENTRIES.filter((e) => c.accounts.includes(e.account) && e.at > c.window.from && e.at <= c.window.to
    && c.matches.some((m) => m.kind === e.kind && Object.entries(m.data ?? {}).every(([k, v]) => e.data[k] === v)))
    .reduce((s, e) => s + e.delta, 0);

describe('mingo: the ledger total pipeline agrees with SQLite and with the definition', () => {
  let store: Store;
  beforeAll(async () => {
    store = await ENGINES[0]!.open();
    const l = store.tenant(SCOPE.tenant).ledger(SCOPE.plugin, SCOPE.ledger);
    for (const e of ENTRIES) await l.append([e]);
  });
  afterAll(() => store.close());

  // What the mongoose engine would hold: the scope's entries, and rows of another tenant and ledger that would change every figure if the $match leaked.
  const docs = [
    ...ENTRIES.map((e, seq) => ({ ...SCOPE, ...e, seq })),
    ...ENTRIES.map((e, seq) => ({ ...SCOPE, tenant: 'intruder', ...e, delta: 1e6, seq })),
    ...ENTRIES.map((e, seq) => ({ ...SCOPE, ledger: 'stock', ...e, delta: 1e6, seq })),
  ];

  it.each(CASES.map((c, i) => [i, c] as const))('case %i', async (_, c) => {
    const [r] = new Aggregator(ledgerTotalPipeline(SCOPE, c.accounts, c.window, c.matches)).run(docs) as { total: number }[];
    const want = expected(c);
    expect(want).not.toBe(0);
    expect(r?.total ?? 0).toBe(want);
    expect(await store.tenant(SCOPE.tenant).ledger(SCOPE.plugin, SCOPE.ledger).total(c.accounts, c.window, c.matches)).toBe(want);
  });

  it('makes every value a string and refuses a field name that is not one', () => {
    const [match] = ledgerTotalPipeline(SCOPE, [{ $ne: null } as unknown as string], { from: 'a', to: 'b' }, [{ kind: 'earn', data: { reversed: { $gt: '' } as unknown as string } }]);
    expect(match).toEqual({ $match: { ...SCOPE, account: { $in: ['[object Object]'] }, at: { $gt: 'a', $lte: 'b' }, $or: [{ kind: 'earn', 'data.reversed': '[object Object]' }] } });
    expect(() => ledgerTotalPipeline(SCOPE, ['a'], { from: 'a', to: 'b' }, [{ kind: 'earn', data: { '$where': 'x' } }])).toThrow(/invalid field name/);
  });
});
