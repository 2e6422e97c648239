import { formatMoney } from '../../../core/plugin-api.js';

/**
 * Influence of a community member (CRM-METHOD, social CRM: find KOLs and advocates), 0-100, always
 * shown with its three parts: reach (how many other members replied to them), activity (messages seen
 * and how many mentioned a listened topic) and customer value (monetary from RFM). Community weight
 * comes first: reach and activity give up to 40 each, spend at most 20, so a silent big spender is not
 * an influencer and a member others answer is.
 */

export interface InfluenceFacts {
  /** Distinct other members who replied to this member's messages. */
  reach: number;
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
  // 1 person replying -> 6, 3 -> 12, 9 -> 20, 30 -> 30, 99+ -> 40.
  const reach = Math.min(40, Math.round(20 * log10p(f.reach)));
  // 9 messages -> 10, 99 -> 20; 9 of them on a listened topic -> +10.
  const activity = Math.min(40, Math.round(10 * log10p(f.messages) + 10 * log10p(f.mentions)));
  // 10 points per tenfold spend above 10 currency units: 100 -> 10, 1,000+ -> 20.
  const value = Math.min(20, Math.round(10 * log10p(f.monetaryMinor / 1000)));
  return { score: reach + activity + value, reach, activity, value };
}

export function explainInfluence(f: InfluenceFacts, currency: string): string {
  const i = influence(f);
  return `${i.score}/100 = reach ${i.reach} (${f.reach} ${f.reach === 1 ? 'member' : 'members'} replied to them) + activity ${i.activity} (${f.messages} messages, ${f.mentions} mentions) + value ${i.value} (${formatMoney(f.monetaryMinor, currency)} spent)`;
}
