import type { AnalyticsRepo, SpendRepo, TenantStore } from '../store/port.js';
import type { Permission } from './manifest.js';

/** Repository methods that only read; every plugin with `customers.read` gets these. */
const READS = {
  customers: ['get', 'findByName', 'search', 'count', 'countCreatedBetween', 'page'],
  identities: ['get', 'listForCustomer'],
  interactions: ['listForCustomer', 'countByType'],
  deals: ['get', 'list'],
  cases: ['get', 'listOpen', 'list'],
} as const;

/** Methods that write, each behind the permission that grants it; nothing else of a repository is reachable. */
const WRITES = {
  customers: { create: 'customers.write', update: 'customers.write' },
  interactions: { add: 'interactions.write' },
  cases: { open: 'cases.write', close: 'cases.write', respond: 'cases.write' },
} as const satisfies Partial<Record<keyof typeof READS, Record<string, Permission>>>;

type Repos = Pick<TenantStore, keyof typeof READS>;
type Reads<R extends keyof typeof READS> = Pick<Repos[R], Extract<(typeof READS)[R][number], keyof Repos[R]>>;
/** `T` when the permissions `P` include `N`; nothing otherwise. */
type If<N extends Permission, P extends Permission, T> = N extends P ? T : unknown;

/**
 * What every plugin with `customers.read` sees of one tenant's core data: read-only repositories. The outbox,
 * bulk import, erasure, sign-in and other plugins' documents are not part of it.
 */
export interface CoreReads {
  readonly tenant: string;
  readonly customers: Reads<'customers'>;
  readonly identities: Reads<'identities'>;
  readonly interactions: Reads<'interactions'>;
  readonly deals: Reads<'deals'>;
  readonly cases: Reads<'cases'>;
  readonly analytics: AnalyticsRepo;
  /** Marketing spend totals (CAC). */
  readonly spend: Pick<SpendRepo, 'total'>;
}

/** The write methods the permissions `P` grant, and none other. */
export interface CoreWrites<P extends Permission> {
  readonly customers: If<'customers.write', P, Pick<Repos['customers'], 'create' | 'update'>>;
  readonly interactions: If<'interactions.write', P, Pick<Repos['interactions'], 'add'>>;
  readonly cases: If<'cases.write', P, Pick<Repos['cases'], 'open' | 'close' | 'respond'>>;
}

/** A plugin's view of a tenant: the reads, plus the writes its manifest's permissions `P` grant. */
export type CoreView<P extends Permission = never> = CoreReads & CoreWrites<P>;

export class PermissionError extends Error {}

/**
 * Builds the view at run time from the permissions actually granted: a write method not granted is
 * still there to call (a cast, plain JavaScript), and refuses with the permission that is missing.
 */
export function coreView(plugin: string, granted: readonly Permission[], ts: TenantStore): CoreView<Permission> {
  const repo = <R extends keyof typeof READS>(name: R): Record<string, unknown> => {
    const source = ts[name] as unknown as Record<string, (...a: unknown[]) => unknown>;
    const view: Record<string, unknown> = {};
    for (const m of READS[name]) view[m] = source[m]!.bind(source);
    const writes: Record<string, Permission> = name in WRITES ? WRITES[name as keyof typeof WRITES] : {};
    for (const [m, needs] of Object.entries(writes)) {
      view[m] = granted.includes(needs)
        ? source[m]!.bind(source)
        : () => Promise.reject(new PermissionError(`plugin ${plugin} needs the permission "${needs}" in its manifest to call ${name}.${m}`));
    }
    return Object.freeze(view);
  };
  return Object.freeze({
    tenant: ts.tenant,
    customers: repo('customers'),
    identities: repo('identities'),
    interactions: repo('interactions'),
    deals: repo('deals'),
    cases: repo('cases'),
    analytics: ts.analytics,
    spend: Object.freeze({ total: ts.spend.total.bind(ts.spend) }),
  }) as unknown as CoreView<Permission>;
}
