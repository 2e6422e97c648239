/** The plugin's config as validated (defaults filled) by the manifest's JSON Schema. */
export interface RuleConfig {
  points: number;
  pointsPerCurrencyUnit: number;
  pending: boolean;
  capPerDay: number | null;
  capPerCustomer: number | null;
  /** Most points one event earns without approval (see checkConfig for staff-caused rules). */
  capPerEvent: number | null;
  /** Points above a cap: dropped, or held for a manager's /points approve. */
  overCap: 'drop' | 'approve';
}

export const RULES = ['purchase', 'dealWon', 'survey', 'helpful', 'referral', 'welcome'] as const;
export type RuleName = (typeof RULES)[number];

export interface Tier {
  name: string;
  threshold: number;
  multiplier: number;
}

export interface LoyaltyConfig {
  pendingDays: number;
  expiryMonths: number;
  expiryWarningDays: number;
  maxManualPoints: number;
  maxRewardCost: number;
  tierWindowDays: number;
  tiers: Tier[];
  rules: Record<RuleName, RuleConfig>;
}

/** Rules a staff member's action triggers: one event of theirs never earns more than a manager may give by hand. */
export const STAFF_CAUSED: readonly RuleName[] = ['purchase', 'dealWon', 'helpful', 'referral'];

/**
 * What JSON Schema cannot say: the tier ladder must start at 0 and have distinct thresholds, and a
 * staff-caused rule's per-event cap is at most maxManualPoints.
 */
export function checkConfig(c: LoyaltyConfig): LoyaltyConfig {
  const tiers = [...c.tiers].sort((a, b) => a.threshold - b.threshold);
  if (tiers[0]!.threshold !== 0) throw new Error('config of plugin loyalty: the lowest tier must have threshold 0');
  if (new Set(tiers.map((t) => t.threshold)).size !== tiers.length) throw new Error('config of plugin loyalty: tier thresholds must differ');
  const rules = { ...c.rules };
  for (const name of STAFF_CAUSED) {
    rules[name] = { ...rules[name], capPerEvent: Math.min(rules[name].capPerEvent ?? c.maxManualPoints, c.maxManualPoints) };
  }
  return { ...c, tiers, rules };
}
