import { formatMoney } from '../../../core/index.js';

/**
 * Influence of a community member (CRM-METHOD, social CRM: find KOLs and advocates), 0-100, always
 * shown with its three parts: reach (followers/members where the platform reports it), activity
 * (messages seen and how many mentioned a listened topic) and customer value (monetary from RFM).
 */

export interface InfluenceFacts {
  /** Followers or members; null when the platform does not say. */
  reach: number | null;
  messages: number;
  mentions: number;
  monetaryMinor: number;
}

export interface Influence {
  score: number;
  reach: number;
  activity: number;
  value: number;
}

const log10p = (x: number) => Math.log10(1 + Math.max(0, x));

export function influence(f: InfluenceFacts): Influence {
  const reach = Math.min(40, Math.round(10 * log10p(f.reach ?? 0)));
  const activity = Math.min(30, Math.round(10 * log10p(f.messages) + 10 * log10p(f.mentions)));
  // 10 points per tenfold spend above 10 currency units: 100 -> 10, 1,000 -> 20, 10,000+ -> 30.
  const value = Math.min(30, Math.round(10 * log10p(f.monetaryMinor / 1000)));
  return { score: reach + activity + value, reach, activity, value };
}

export function explainInfluence(f: InfluenceFacts, currency: string): string {
  const i = influence(f);
  const reach = f.reach === null ? 'reach 0 (platform gives no follower count)' : `reach ${i.reach} (${f.reach} followers)`;
  return `${i.score}/100 = ${reach} + activity ${i.activity} (${f.messages} messages, ${f.mentions} mentions) + value ${i.value} (${formatMoney(f.monetaryMinor, currency)} spent)`;
}
