import { convertMinor, type CoreEvents, type Deal, type Rates } from '../../core/plugin-api.js';
import type { RuleConfig, RuleName } from './config.js';

/** One earning occasion: which rule, the event it comes from (the idempotency source), whose, how much was spent. */
export interface Occasion {
  rule: RuleName;
  sourceId: string;
  customerId: number;
  amountMinor: number | null;
}

/** Points this rule already gave the customer, today (tenant day) and in total. */
export interface CapUse {
  today: number;
  total: number;
}

export interface Earning {
  points: number;
  /** Points before the caps cut them. */
  uncapped: number;
}

/** Maps a core event to the rule it may trigger; null when it earns nothing. */
export function purchaseOrSurvey(p: CoreEvents['interaction.recorded']): Occasion | null {
  const i = p.interaction;
  if (i.customerId === null) return null;
  if (i.type === 'purchase' && i.amountMinor !== null && i.amountMinor > 0) return { rule: 'purchase', sourceId: String(i.id), customerId: i.customerId, amountMinor: i.amountMinor };
  if (i.type === 'survey_response') return { rule: 'survey', sourceId: String(i.id), customerId: i.customerId, amountMinor: null };
  return null;
}

/**
 * A won deal earns on its amount in the tenant currency, converted with the config `fx` rates; with no rate
 * for its currency it earns nothing and says which rate was missing (`noRate`).
 */
export function wonDeal(p: CoreEvents['deal.won'], tenantCurrency: string, rates: Rates): Occasion | { noRate: string } | null {
  if (p.deal.amountMinor <= 0) return null;
  const amountMinor = convertMinor(p.deal.amountMinor, p.deal.currency, tenantCurrency, rates);
  if (amountMinor === null) return { noRate: rates[p.deal.currency] === undefined ? p.deal.currency : tenantCurrency };
  return { rule: 'dealWon', sourceId: wonDealSource(p.deal), customerId: p.deal.customerId, amountMinor };
}

/** The source of a deal's latest win: its id, then `<id>#<n>` for the n-th win, so a deal reopened and won again earns once per win. */
export function wonDealSource(deal: Pick<Deal, 'id' | 'history'>): string {
  const wins = deal.history.filter((h) => h.stage === 'won').length;
  return wins > 1 ? `${deal.id}#${wins}` : String(deal.id);
}

export const welcome = (p: CoreEvents['customer.created']): Occasion => ({ rule: 'welcome', sourceId: String(p.customer.id), customerId: p.customer.id, amountMinor: null });

/** The ledger idempotency key of an occasion: one earning per source event, whatever the retries. */
export const earnKey = (o: Pick<Occasion, 'rule' | 'sourceId'>) => `${o.rule}:${o.sourceId}`;

/**
 * points + floor(whole currency units x rate x tier multiplier), then cut to what the caps leave.
 * Whole units are floor(amountMinor / 100) (amounts are kept in cents); the tiny epsilon keeps
 * 1.15 x 100 = 114.99999999999999 from flooring to 114.
 */
export function earning(rule: RuleConfig, amountMinor: number | null, multiplier: number, used: CapUse): Earning {
  const units = amountMinor === null ? 0 : Math.floor(amountMinor / 100);
  const uncapped = rule.points + Math.floor(units * rule.pointsPerCurrencyUnit * multiplier + 1e-9);
  const room = Math.min(
    rule.capPerEvent ?? Infinity,
    rule.capPerDay === null ? Infinity : rule.capPerDay - used.today,
    rule.capPerCustomer === null ? Infinity : rule.capPerCustomer - used.total,
  );
  return { points: Math.max(0, Math.min(uncapped, room)), uncapped };
}
