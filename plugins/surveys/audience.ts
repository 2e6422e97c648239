import { RFM_SEGMENTS, rfmSegment, type Customer, type Lifecycle, type RfmScore, type RfmSegment } from '../../core/plugin-api.js';

/** Who a campaign goes to. `customer` is only made by triggers (one person after a won deal or a closed complaint). */
export type Audience =
  | { type: 'everyone' }
  | { type: 'stage'; stage: Lifecycle }
  | { type: 'segment'; segment: RfmSegment }
  | { type: 'tag'; tag: string }
  | { type: 'purchased'; days: number }
  | { type: 'customer'; customerId: number };

const STAGES = ['lead', 'new', 'active', 'at_risk', 'churned'] as const satisfies readonly Lifecycle[];
const slug = (s: string) => s.trim().toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
export const AUDIENCE_FORMS = 'everyone, stage:active, segment:at-risk (or segment:"At risk"), tag:vip or purchased:30';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function parseAudience(text: string): Parsed<Audience> {
  const t = text.trim();
  if (t.toLowerCase() === 'everyone') return { ok: true, value: { type: 'everyone' } };
  const i = t.indexOf(':');
  const key = i > 0 ? t.slice(0, i).toLowerCase() : '';
  const value = t.slice(i + 1).trim();
  if (key && !value) return { ok: false, error: `${key}: needs a value, like ${AUDIENCE_FORMS}` };
  if (key === 'stage') {
    const stage = STAGES.find((s) => slug(s) === slug(value));
    return stage ? { ok: true, value: { type: 'stage', stage } } : { ok: false, error: `Unknown stage "${value}". Stages: ${STAGES.map(slug).join(', ')}` };
  }
  if (key === 'segment') {
    const segment = RFM_SEGMENTS.find((s) => slug(s) === slug(value));
    return segment ? { ok: true, value: { type: 'segment', segment } } : { ok: false, error: `Unknown RFM segment "${value}". Segments: ${RFM_SEGMENTS.map(slug).join(', ')}` };
  }
  if (key === 'tag') {
    if (value.length > 100 || /^[{[$]/.test(value)) return { ok: false, error: `"${value.slice(0, 40)}" is not a tag` };
    return { ok: true, value: { type: 'tag', tag: value.toLowerCase() } };
  }
  if (key === 'purchased') {
    const days = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
    if (!(days >= 1 && days <= 3650)) return { ok: false, error: `purchased:${value} needs a number of days from 1 to 3650, like purchased:30` };
    return { ok: true, value: { type: 'purchased', days } };
  }
  return { ok: false, error: `"${t.slice(0, 60)}" is not an audience. Use ${AUDIENCE_FORMS}` };
}

export function audienceLabel(a: Audience): string {
  switch (a.type) {
    case 'everyone': return 'everyone';
    case 'stage': return `stage:${slug(a.stage)}`;
    case 'segment': return `segment:${slug(a.segment)}`;
    case 'tag': return `tag:${a.tag}`;
    case 'purchased': return `purchased:${a.days}`;
    case 'customer': return `customer C-${a.customerId}`;
  }
}

/** Audiences read from RFM: one engine query per pass instead of one per customer. */
export function needsRfm(a: Audience): boolean {
  return a.type === 'segment' || a.type === 'purchased';
}

export function rfmMembers(a: Audience, rows: RfmScore[]): Set<number> {
  const keep = (r: RfmScore) => (a.type === 'segment' ? rfmSegment(r.r, r.f, r.m) === a.segment : a.type === 'purchased' ? r.recencyDays <= a.days : false);
  return new Set(rows.filter(keep).map((r) => r.customerId));
}

export function matches(a: Audience, c: Customer, rfm: Set<number> | null): boolean {
  switch (a.type) {
    case 'everyone': return true;
    case 'stage': return c.lifecycle === a.stage;
    case 'tag': return c.tags.some((t) => t.toLowerCase() === a.tag);
    case 'customer': return c.id === a.customerId;
    default: return rfm?.has(c.id) ?? false;
  }
}
