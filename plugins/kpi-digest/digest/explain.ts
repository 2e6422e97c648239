import type { Field, Reply, TenantSettings } from '../../../core/plugin-api.js';
import type { PeriodKind } from '../schedule/cadence.js';
import { LOYALTY_OFF } from './render.js';
import { COMPLAINTS_EXPLAINED } from './complaints.js';

/** "How is this computed?": one field per digest figure with its CRM-METHOD formula. */
export function explainDigest(kind: PeriodKind, s: TenantSettings): Reply {
  const w = s.kpi.churnWindowDays;
  const fields: Field[] = [
    { label: 'Period', value: `Scheduled digests report on the last full ${kind} in the subscriber's time zone (day: yesterday; week: Monday to Sunday; month: the calendar month). /digest now reports on the ${kind} ending now (day: the last 24 hours). Each figure is compared with the ${kind} before; ▲ higher, ▼ lower, ▬ equal or not comparable.` },
    { label: 'New customers', value: 'Customer records created in the period.' },
    { label: 'Active customers', value: 'Customers with any interaction (message, call, purchase, survey answer, mention...) in the period.' },
    { label: 'Retention rate', value: `(customers at end - new customers) / customers at start, where "customers" at a moment are those who bought in the ${w} days before it and new customers are those whose first purchase is in the period (CRR, clamped to 0-100%).` },
    { label: 'Churn rate', value: '1 - retention rate.' },
    { label: 'NPS', value: `From "nps" survey answers in the period (0-10): % promoters (9-10) - % detractors (0-6), from -100 to +100; responses = answers counted, the latest per person per survey (as /survey results counts them); n and the 95% adjusted-Wald margin shown, "too few answers" under ${s.kpi.minAnswers}.` },
    { label: 'CSAT', value: 'From "csat" answers (1-5): share of 4s and 5s, with n and an Agresti-Coull 95% margin.' },
    { label: 'CES', value: 'From "ces" answers (1-7): the average effort score, with n and a 95% margin.' },
    { label: 'Revenue won', value: `Sum of deals marked won in the period, every currency converted to ${s.currency} with the config fx rates; amounts without a rate shown apart.` },
    { label: 'Win rate', value: 'Deals won / (won + lost) among deals closed in the period.' },
    { label: 'Average deal size', value: 'Revenue won / deals won in the period (deals whose amount converted).' },
    { label: 'Sales cycle', value: 'Average days from a won deal\'s creation to its close, deals won in the period.' },
    { label: 'Pipeline by stage', value: 'Open deals per stage now, with amount x stage probability as the weighted value.' },
    { label: 'Weighted forecast', value: `Open deals per expected-close month x stage probability; a deal without a close date at creation + its stage's average cycle on won deals (${s.kpi.defaultStageCycleDays} days before any), counted as estimated.` },
    { label: 'CAC', value: 'Acquisition spend recorded with /crm spend over the twelve months up to the period end / new paying customers: those whose first purchase or won deal falls in those months (company-wide, also in a rep\'s digest).' },
    { label: 'CLV', value: `Annual revenue per purchasing customer (purchase revenue of the 365 days before the period end, every currency converted with the config fx rates, / customers who bought in them; revenue in a currency without a rate is shown apart) x gross margin ${s.kpi.grossMargin} x expected lifetime ${s.kpi.expectedLifetimeYears} years - CAC.` },
    { label: 'CLV/CAC', value: 'CLV / CAC.' },
    { label: 'Lifecycle', value: `Per customer at the period end: lead (no purchase), new (first purchase within ${s.kpi.newWindowDays} days), active, at_risk (idle ${s.kpi.atRiskDays}+ days), churned (idle ${w}+ days); idle counts from the last purchase (won deals included) or the customer\'s own inbound interaction, not a rep\'s notes.` },
    { label: 'RFM segments', value: 'Recency, frequency and monetary value of purchases, scored 1-5 by quintile over the whole customer base, mapped to named segments, at the period end.' },
    { label: 'RFM movement', value: 'Customers whose segment at the period end differs from their segment at the period start; the three largest flows are listed.' },
    { label: 'Mentions', value: 'Mention interactions in the period by sentiment; the latest negative one is quoted.' },
    { label: 'Loyalty points', value: `Figures the loyalty plugin publishes for the period, company-wide (also in a rep's digest): issued = points earned by loyalty rules (purchases, won deals, survey answers, welcome, helpful messages, referrals) minus reversed earnings, counted when earned, not again when pending points become spendable; redeemed = points spent on rewards minus reversed redemptions; active members = customers who earned or redeemed points in the period. Manual point adjustments count in neither. "${LOYALTY_OFF}" when the loyalty plugin is not enabled.` },
    { label: 'Open complaints', value: 'Complaint cases still open.' },
    COMPLAINTS_EXPLAINED,
    { label: 'Detractor follow-ups overdue', value: 'Open detractor follow-up cases whose due time has passed.' },
    { label: 'Highest churn risk', value: 'Of the 50 purchasing customers with the longest time since their last purchase, the five with the highest churn-risk score (late purchase rhythm, falling purchases, detractor answer, open complaints, negative mentions), with the reasons.' },
    { label: 'Scope', value: 'Managers and admins see the company; a rep sees their own book: customers they own (and those customers\' interactions), deals and cases they own.' },
  ];
  return { text: `How the ${kind} KPI digest is computed (CRM-METHOD definitions):`, fields };
}
