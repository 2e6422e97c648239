/** The plugin's config as validated (defaults filled) by the manifest's JSON Schema. */
export interface RuleConfig {
  points: number;
  pointsPerCurrencyUnit: number;
  pending: boolean;
  capPerDay: number | null;
  capPerCustomer: number | null;
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

/** What JSON Schema cannot say: the tier ladder must start at 0 and have distinct thresholds. */
export function checkConfig(c: LoyaltyConfig): LoyaltyConfig {
  const tiers = [...c.tiers].sort((a, b) => a.threshold - b.threshold);
  if (tiers[0]!.threshold !== 0) throw new Error('config of plugin loyalty: the lowest tier must have threshold 0');
  if (new Set(tiers.map((t) => t.threshold)).size !== tiers.length) throw new Error('config of plugin loyalty: tier thresholds must differ');
  return { ...c, tiers };
}
