/** Churn risk 0-100 with its reasons, from the early-warning signals in CRM-METHOD. */
export interface ChurnSignals {
  asOf: string;
  purchaseDates: string[];
  churnWindowDays: number;
  lastNps: number | null;
  openComplaints: number;
  negativeMentions: number;
}

export interface ChurnRisk {
  score: number;
  reasons: string[];
}

const DAY = 86_400_000;

export function churnRisk(s: ChurnSignals): ChurnRisk {
  const reasons: string[] = [];
  let score = 0;
  const now = Date.parse(s.asOf);
  const dates = s.purchaseDates.map((d) => Date.parse(d)).filter((d) => d <= now).sort((a, b) => a - b);
  if (dates.length) {
    const since = (now - dates.at(-1)!) / DAY;
    if (dates.length >= 2) {
      const rhythm = (dates.at(-1)! - dates[0]!) / DAY / (dates.length - 1);
      const ratio = since / Math.max(rhythm, 1);
      if (ratio > 1.5) {
        score += Math.min(40, Math.round((ratio - 1) * 20));
        reasons.push(`no purchase for ${Math.round(since)} days, usually every ${Math.round(rhythm)}`);
      }
    } else if (since > s.churnWindowDays / 2) {
      score += Math.min(40, Math.round((since / s.churnWindowDays) * 40));
      reasons.push(`one purchase, ${Math.round(since)} days ago`);
    }
    const recent = dates.filter((d) => now - d <= 90 * DAY).length;
    const before = dates.filter((d) => now - d > 90 * DAY && now - d <= 180 * DAY).length;
    if (before > 0 && recent < before) {
      score += Math.round(20 * (1 - recent / before));
      reasons.push(`purchases fell from ${before} to ${recent} per 90 days`);
    }
  }
  if (s.lastNps !== null && s.lastNps <= 6) {
    score += 20;
    reasons.push(`detractor: last NPS answer ${s.lastNps}`);
  }
  if (s.openComplaints > 0) {
    score += Math.min(20, 10 * s.openComplaints);
    reasons.push(`${s.openComplaints} open complaint${s.openComplaints > 1 ? 's' : ''}`);
  }
  if (s.negativeMentions > 0) {
    score += Math.min(10, 5 * s.negativeMentions);
    reasons.push(`${s.negativeMentions} negative mention${s.negativeMentions > 1 ? 's' : ''}`);
  }
  return { score: Math.min(100, score), reasons: reasons.length ? reasons : ['no warning signs'] };
}
