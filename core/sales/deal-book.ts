import { forecastByMonth, stageCycleDays, type Forecast } from '../kpi/forecast.js';
import type { TenantSettings } from '../settings.js';
import type { TenantStore } from '../store/port.js';

/** Enough open deals for any forecast and won deals for the stage cycles, with bounded memory. */
const OPEN_LIMIT = 20_000;
const WON_LIMIT = 2_000;

/** Runs a per-currency aggregate for every currency the tenant's deals are in (and the reporting one). */
export async function perCurrency<T>(store: Pick<TenantStore, 'analytics'>, reporting: string, fn: (currency: string) => Promise<T>): Promise<{ currency: string; value: T }[]> {
  const currencies = [...new Set([reporting, ...(await store.analytics.dealCurrencies())])].sort();
  return Promise.all(currencies.map(async (currency) => ({ currency, value: await fn(currency) })));
}

/**
 * The forecast of open deals per month in the reporting currency: expected close dates, or creation plus
 * the stage's cycle measured on won deals (config `kpi.defaultStageCycleDays` before any), marked estimated.
 */
export async function dealForecast(store: { analytics: Pick<TenantStore['analytics'], 'dealCurrencies'>; deals: Pick<TenantStore['deals'], 'list'> }, settings: TenantSettings, months: string[], now: string, owner: string | null): Promise<Forecast> {
  const own = owner === null ? {} : { owner };
  const [open, won] = await Promise.all([
    store.deals.list({ ...own, open: true }, OPEN_LIMIT),
    store.deals.list({ stage: 'won' }, WON_LIMIT),
  ]);
  const days = settings.kpi.defaultStageCycleDays;
  const cycles = stageCycleDays(won, settings.stages.map((s) => s.id), days);
  return forecastByMonth(open, months, cycles, days, now, settings.currency, settings.fx);
}
