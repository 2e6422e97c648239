import type { Driver } from './score.js';

/** "slow (-1.95), painfully (…)": the drivers as people read them, strongest first. */
export function driversText(drivers: readonly Driver[]): string {
  return drivers.map((d) => `${d.word} (${d.weight > 0 ? '+' : ''}${d.weight})`).join(', ');
}
