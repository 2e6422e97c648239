import type { Config } from './manifest.js';

/** The plugin's config as the manifest's JSON Schema validates it (defaults filled in). */
export type LoyaltyConfig = Config;
export type RuleConfig = LoyaltyConfig['rules'][RuleName];
export type Tier = LoyaltyConfig['tiers'][number];

export const RULES = ['purchase', 'dealWon', 'survey', 'helpful', 'referral', 'welcome'] as const;
export type RuleName = (typeof RULES)[number];

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
