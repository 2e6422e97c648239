/** Lifecycle stage (CRM-METHOD: potential -> new -> mature -> churned, with "at risk" as the early warning). */
import { instantMs } from './instant.js';

export type Lifecycle = 'lead' | 'new' | 'active' | 'at_risk' | 'churned';

export interface LifecycleThresholds {
  newWindowDays: number;
  atRiskDays: number;
  churnWindowDays: number;
}

export interface LifecycleFacts {
  firstPurchaseAt: string | null;
  lastPurchaseAt: string | null;
  lastInteractionAt: string | null;
}

const DAY = 86_400_000;

export function lifecycleStage(f: LifecycleFacts, asOf: string, t: LifecycleThresholds): Lifecycle {
  if (!f.firstPurchaseAt) return 'lead';
  const now = instantMs(asOf);
  const lastTouch = Math.max(instantMs(f.lastPurchaseAt ?? f.firstPurchaseAt), f.lastInteractionAt ? instantMs(f.lastInteractionAt) : 0);
  const idleDays = (now - lastTouch) / DAY;
  if (idleDays >= t.churnWindowDays) return 'churned';
  if (idleDays >= t.atRiskDays) return 'at_risk';
  if ((now - instantMs(f.firstPurchaseAt)) / DAY <= t.newWindowDays) return 'new';
  return 'active';
}
